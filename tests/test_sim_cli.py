"""The simulation through the command line and its coupling to the assessment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tiny_support import TINY


def titr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True, text=True,
                          timeout=300)


def test_simulate_json_is_reproducible() -> None:
    args = ("simulate", "--scenario", str(TINY), "--year", "2022", "--replications", "2",
            "--seed", "11", "--json")
    a, b = titr(*args), titr(*args)
    assert a.returncode == 0, a.stderr
    assert json.loads(a.stdout) == json.loads(b.stdout)
    data = json.loads(a.stdout)
    metrics = {(k["corridor"], k["metric"]) for k in data["kpis"]}
    assert ("middle", "p90_days") in metrics and data["conservation_ok"]


def test_simulate_refuses_too_many_replications() -> None:
    r = titr("simulate", "--scenario", str(TINY), "--year", "2022", "--replications", "100000")
    assert r.returncode == 2 and "--replications" in r.stderr


def test_assess_with_simulated_waits_reports_the_change(tmp_path: Path) -> None:
    r = titr("assess", "--scenario", str(TINY), "--years", "2021-2022", "--waits", "simulated",
             "--sim-replications", "2", "--simulate", "none", "--out",
             str(tmp_path / "r.duckdb"), "--json")
    assert r.returncode == 0, r.stderr
    moved = json.loads(r.stdout)["moved"]
    assert {m["year"] for m in moved} == {2021, 2022}
    assert {m["quantity"] for m in moved} >= {"focus share", "focus days"}
    r = titr("assess", "--scenario", str(TINY), "--waits", "guessed", "--out",
             str(tmp_path / "x.duckdb"))
    assert r.returncode == 2 and "--waits" in r.stderr
