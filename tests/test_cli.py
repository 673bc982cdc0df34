"""The titr command, run as a user runs it: in a subprocess, exit codes included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tiny_support import TINY


def titr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_help_lists_the_commands() -> None:
    r = titr("--help")
    assert r.returncode == 0
    for cmd in ("assess", "routes", "validate", "schema", "sources", "show", "projects",
                "calibrate"):
        assert cmd in r.stdout


def test_routes_json_best_first() -> None:
    r = titr("routes", "--scenario", str(TINY), "--from", "a", "--to", "z", "--year", "2020",
             "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    costs = [x["generalized_usd_per_t"] for x in data["routes"]]
    assert costs == sorted(costs) and data["routes"][0]["corridor"] == "middle"


def test_assess_writes_duckdb_and_json(tmp_path: Path) -> None:
    out = tmp_path / "r.duckdb"
    r = titr("assess", "--scenario", str(TINY), "--years", "2020-2022", "--out", str(out),
             "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [t["year"] for t in data["totals"]] == [2020, 2021, 2022]
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("select count(*) from totals").fetchone() == (3,)


def test_assess_set_and_without(tmp_path: Path) -> None:
    r = titr("assess", "--scenario", str(TINY), "--years", "2024", "--without", "more-ferries",
             "--set", "fleets.ferries.vessels=4", "--out", str(tmp_path / "x.duckdb"), "--json")
    assert r.returncode == 0, r.stderr
    r = titr("assess", "--scenario", str(TINY), "--without", "no-such-project",
             "--out", str(tmp_path / "y.duckdb"))
    assert r.returncode == 2 and "unknown project 'no-such-project'" in r.stderr


def test_schema_show_sources(tmp_path: Path) -> None:
    r = titr("schema", "--out", str(tmp_path / "s.json"))
    assert r.returncode == 0
    schema = json.loads((tmp_path / "s.json").read_text())
    assert "links" in schema["properties"]
    r = titr("show", str(TINY), "--year", "2024", "--json")
    assert r.returncode == 0, r.stderr
    svc = json.loads(r.stdout)["sea_services"][0]
    assert svc["vessels"] == 3  # the project added a third vessel in 2023
    r = titr("sources", str(TINY), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)[0]["id"] == "HAND"


def test_bad_years_exit_2() -> None:
    r = titr("assess", "--scenario", str(TINY), "--years", "1990-1991")
    assert r.returncode == 2 and "--years" in r.stderr and "Traceback" not in r.stderr


def test_projects_ranking() -> None:
    r = titr("projects", "--scenario", str(TINY), "--year", "2024", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["projects"]
    assert rows[0]["project"] == "more-ferries" and rows[0]["days_saved"] > 0


def test_show_lists_the_ids_a_user_needs() -> None:
    r = titr("show", str(TINY), "--list", "nodes", "--json")
    assert r.returncode == 0, r.stderr
    assert {n["id"] for n in json.loads(r.stdout)["nodes"]} == {"a", "b", "p", "q", "z"}
    r = titr("show", str(TINY), "--list", "projects", "--year", "2023", "--json")
    assert json.loads(r.stdout)["projects"] == [
        {"id": "more-ferries", "year": 2023, "open": True, "name": ""}]
    r = titr("show", str(TINY), "--list", "ports")
    assert r.returncode == 2 and "--list" in r.stderr and "nodes" in r.stderr
