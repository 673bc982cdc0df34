"""A second, structurally different corridor (Moscow → Mumbai across the "Khazar Sea", with a
rail branch through Astara and the sea via Suez) through every command, as a user would run
them: each works, and no output names the built-in Middle Corridor."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

NORTH_SOUTH = Path(__file__).parent / "fixtures" / "north-south.toml"
# Words of the built-in scenario that generic code must never print for another corridor.
FOREIGN = re.compile(r"caspian|middle corridor|middle-corridor share|aktau|kuryk|xi'?an|"
                     r"duisburg|china.europe|kazakh", re.IGNORECASE)


def titr(*args: str, cwd: Path) -> str:
    r = subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True, text=True,
                       timeout=600, cwd=cwd)
    assert r.returncode == 0, (args, r.stderr[-2000:])
    out = r.stdout + r.stderr
    assert not FOREIGN.search(out), (args, FOREIGN.findall(out))
    return r.stdout


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("north-south")


def test_scenario_commands(work: Path) -> None:
    s = str(NORTH_SOUTH)
    titr("validate", s, cwd=work)
    nodes = json.loads(titr("show", s, "--list", "nodes", "--json", cwd=work))["nodes"]
    assert {n["id"] for n in nodes} >= {"moscow", "anzali", "mumbai"}
    routes = json.loads(titr("routes", "--scenario", s, "--year", "2026", "--json",
                             cwd=work))["routes"]
    assert {r["corridor"] for r in routes} == {"khazar-route", "western-route", "suez-route"}
    titr("sources", s, cwd=work)


def test_assessment_report_and_exports(work: Path) -> None:
    s = str(NORTH_SOUTH)
    out = titr("assess", "--scenario", s, "--simulate", "2026", "--sim-replications", "2",
               "--out", "a.duckdb", "--report", "a.html", cwd=work)
    assert "across the Khazar Sea" in out and "North–South corridor" in out
    html = (work / "a.html").read_text()
    blob = re.search(r'<script type="application/json" id="titr-data">(.*?)</script>', html,
                     re.S)
    assert blob is not None and not FOREIGN.search(blob.group(1))
    study = json.loads(blob.group(1))["scenarios"][0]["study"]
    assert study["focus_label"] == "across the Khazar Sea"
    titr("report", "a.duckdb", "-o", "again.html", cwd=work)
    titr("export", "--format", "geojson", "--results", "a.duckdb", "--out", "gis", cwd=work)
    titr("export", "--format", "csv", "--results", "a.duckdb", "--out", "csv", cwd=work)
    assert (work / "gis" / "network-2030.geojson").exists()
    ranked = json.loads(titr("projects", "--scenario", s, "--year", "2028", "--json", cwd=work))
    assert {p["project"] for p in ranked["projects"]} == {"more-khazar-ships",
                                                          "astara-gauge-capacity"}


def test_simulation_closure_and_sweep(work: Path) -> None:
    s = str(NORTH_SOUTH)
    kpis = json.loads(titr("simulate", "--scenario", s, "--year", "2026", "--replications",
                           "2", "--json", cwd=work))
    assert kpis
    titr("closure", "--scenario", s, "--corridor", "suez-route", "--days", "20", "--year",
         "2026", "--replications", "2", cwd=work)
    (work / "sweep.toml").write_text(
        f'name = "ns-ships"\nscenario = "{NORTH_SOUTH}"\nyears = [2026]\n'
        'design = "full-factorial"\nreplications = 1\nseed = 3\n'
        'outputs = ["focus_t", "unserved_t"]\nsensitivity = ["focus_t"]\n'
        '[[parameters]]\nname = "ships"\npath = "fleets.khazar-ships.vessels"\n'
        'values = [3, 9]\n')
    titr("sweep", "run", "sweep.toml", "--executor", "serial", "--out", "s.duckdb",
         "--quiet", cwd=work)
    titr("sweep", "summary", "s.duckdb", cwd=work)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_offers_the_file_with_its_levers(work: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "titr", "serve", "--scenario",
                             str(NORTH_SOUTH), "--port", str(port), "--workers", "1"],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        names = [s["id"] for s in httpx.get(url + "/api/scenarios", timeout=30).json()]
        assert names[0] == "north-south"
        summary = httpx.get(url + "/api/scenarios/north-south", timeout=60).json()
        assert summary["study"]["study_name"] == "North–South corridor"
        assert {"khazar_ships", "khazar_storms"} <= {d["key"] for d in summary["levers"]}
        assert not FOREIGN.search(json.dumps(summary, ensure_ascii=False))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
