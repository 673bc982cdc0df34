"""titr sweep, summary, export and outputs, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from sweep_support import tiny_experiment, titr


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "sweep.duckdb"
    r = titr("sweep", str(tiny_experiment(folder)), "--out", str(out), "--executor", "serial",
             "--json")
    assert r.returncode == 0, r.stderr
    return out, json.loads(r.stdout)


Swept = tuple[Path, dict[str, Any]]


def test_sweep_json(swept: Swept) -> None:
    _, data = swept
    assert data["runs"] == data["total_runs"] == 12 and data["ran"] == 12
    assert data["executor"] == "serial" and len(data["points"]) == 4
    targets = {(r["output"], r["subject"]) for r in data["sensitivity"]}
    assert targets == {("focus_t", ""), ("p90_days", "middle/container")}
    top = [r for r in data["sensitivity"] if r["output"] == "focus_t" and r["rank"] == 1]
    assert top[0]["parameter"] == "market"  # the market's size moves the tonnes, not ferries


def test_summary_prints_points_and_ranking(swept: Swept) -> None:
    out, _ = swept
    r = titr("sweep", "summary", str(out))
    assert r.returncode == 0, r.stderr
    assert "12 of 12 runs" in r.stdout and "Sensitivity" in r.stdout
    assert "market > ferries" in r.stdout


def test_export_parquet_and_csv(swept: Swept, tmp_path: Path) -> None:
    out, _ = swept
    r = titr("sweep", "export", str(out), "--parquet", str(tmp_path / "pq"), "--csv",
             str(tmp_path / "csv"))
    assert r.returncode == 0, r.stderr
    for name in ("points", "runs", "outputs", "summary", "sensitivity"):
        pq = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / "csv" / f"{name}.csv")
        assert len(pq) == len(csv) > 0
    assert len(pd.read_parquet(tmp_path / "pq" / "runs.parquet")) == 12
    r = titr("sweep", "export", str(out))
    assert r.returncode == 2 and "--parquet" in r.stderr


def test_summary_of_a_missing_or_foreign_file(tmp_path: Path) -> None:
    r = titr("sweep", "summary", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "no database" in r.stderr
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE flows AS SELECT 1 AS x")
    con.close()
    r = titr("sweep", "summary", str(other))
    assert r.returncode == 2 and "not a sweep database" in r.stderr
    r = titr("sweep", str(tiny_experiment(tmp_path)), "--out", str(other), "--resume",
             "--executor", "serial")
    assert r.returncode == 2 and "not a sweep database" in r.stderr
    con = duckdb.connect(str(other), read_only=True)
    assert [t[0] for t in con.execute("SHOW TABLES").fetchall()] == ["flows"]  # untouched
    con.close()


def test_outputs_and_help() -> None:
    r = titr("sweep", "outputs")
    assert r.returncode == 0 and "p90_days" in r.stdout and "vessel_wait_mean_h" in r.stdout
    r = titr("sweep", "run", "--help")
    assert r.returncode == 0 and "--dask-local" in r.stdout and "--resume" in r.stdout
