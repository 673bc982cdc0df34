"""`titr report`, `titr export` and the report written by `titr assess`, run as a user runs
them: in a subprocess, with exit codes and one clear message for bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from report_support import TINY

FOREIGN_ASSET = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def titr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def blob(html: str) -> dict:  # type: ignore[type-arg]
    m = re.search(r'<script type="application/json" id="titr-data">(.*?)</script>', html, re.S)
    assert m, "no data blob"
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def one_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    return lines[0]


def test_assess_writes_the_report_beside_the_results(tmp_path: Path) -> None:
    out = tmp_path / "run" / "r.duckdb"
    r = titr("assess", "--scenario", str(TINY), "--years", "2020-2021", "--out", str(out))
    assert r.returncode == 0, r.stderr
    report = out.parent / "report.html"
    assert f"report: {report}" in r.stdout.replace("\n", "")
    html = report.read_text()
    data = blob(html)
    assert data["scenarios"][0]["name"] == "Tiny test corridor"
    assert len(data["scenarios"][0]["assumptions"]) == 6  # the tiny parameters
    assert not FOREIGN_ASSET.search(html)
    con = duckdb.connect(str(out), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM assumptions").fetchone() == (6,)
        assert con.execute("SELECT name FROM scenario_info").fetchone() == ("Tiny test corridor",)
    finally:
        con.close()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_assess_report_option(tmp_path: Path) -> None:
    r = titr("assess", "--scenario", str(TINY), "--years", "2020", "--out",
             str(tmp_path / "r.duckdb"), "--report", str(tmp_path / "custom.html"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["report"] == str(tmp_path / "custom.html")
    assert (tmp_path / "custom.html").stat().st_size > 1_000_000


def test_report_rewrites_from_the_results_file(busy_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.html"
    r = titr("report", str(busy_db), "--out", str(out))
    assert r.returncode == 0, r.stderr
    data = blob(out.read_text())
    (s,) = data["scenarios"]
    assert s["name"] == "Busy tiny corridor" and s["years"] == list(range(2020, 2026))
    assert s["bottlenecks"][0]["element"] == "p-q"
    assert {a["path"] for a in s["assumptions"]} >= {"observed[ferry-teu-2024].value"}


def test_report_compare(busy_db: Path, slow_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp.html"
    r = titr("report", "--compare", str(busy_db), str(slow_db), "--out", str(out))
    assert r.returncode == 0, r.stderr
    data = blob(out.read_text())
    assert [s["label"] for s in data["scenarios"]] == ["A", "B"]
    assert data["title"].startswith("titr comparison")
    a, b = data["scenarios"]
    assert a["totals"][-1]["focus_t"] > b["totals"][-1]["focus_t"]  # A has more ferries


def test_report_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    line = one_error(titr("report", str(tmp_path / "nope.duckdb")))
    assert "nope.duckdb" in line and "results file not found" in line and "titr assess" in line


def test_report_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.duckdb"
    bad.write_text("hello")
    line = one_error(titr("report", str(bad)))
    assert "not a DuckDB database" in line


def test_report_database_without_results(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t AS SELECT 1 AS x").close()
    line = one_error(titr("report", "--compare", str(other), str(other)))
    assert "not a titr results database" in line


def test_export_cli(busy_db: Path, tmp_path: Path) -> None:
    r = titr("export", "--format", "geojson", "--results", str(busy_db), "--out",
             str(tmp_path), "--year", "2021")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "network-2021.geojson").read_text())["features"]


@pytest.mark.parametrize("args, words", [
    (["--format", "csv", "--results", "missing.duckdb"], "results file not found"),
    (["--format", "shp"], "unknown format 'shp'"),
])
def test_export_bad_input(tmp_path: Path, args: list[str], words: str) -> None:
    line = one_error(titr("export", *args, cwd=tmp_path))
    assert words in line
