"""What titr skips is said in its log (logger ``titr``), and ``titr -v`` shows it; without
``-v`` the command's output is as before."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tiny_support import TINY, tiny_raw
from titr.assign.assess import assess
from titr.model.loader import validate_raw

# demand to a zone no link reaches before a project adds one in 2023: in 2020 the assessment
# leaves it unserved, and says so
ISOLATED = """
[[nodes]]
id = "far"
country = "DE"
lat = 50
lon = 10
kind = "zone"

[[demand]]
id = "a-far-box"
origin = "a"
destination = "far"
cargo = "container"
kind = "contestable"
volume = [{ year = 2020, value = 10, unit = "TEU/yr", source = "HAND" }]

[[projects]]
id = "far-line"
year = 2023
source = "HAND"

[[projects.changes]]
op = "add"
collection = "links"

[projects.changes.item]
id = "z-far"
from = "z"
to = "far"
mode = "rail"
distance = { value = 300, unit = "km", source = "HAND" }
speed = { value = 50, unit = "km/h", source = "HAND" }
tariff = { value = 0.05, unit = "USD/t/km", source = "HAND" }
"""


def _with_isolated(raw: dict[str, object]) -> dict[str, object]:
    import tomllib

    extra = tomllib.loads(ISOLATED)
    raw = dict(raw)
    raw["nodes"] = [*raw["nodes"], *extra["nodes"]]  # type: ignore[misc]
    raw["demand"] = [*raw["demand"], *extra["demand"]]  # type: ignore[misc]
    raw["projects"] = [*raw["projects"], *extra["projects"]]  # type: ignore[misc]
    return raw


def test_a_demand_without_a_path_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    sc = validate_raw(_with_isolated(tiny_raw()), str(TINY))
    with caplog.at_level(logging.INFO, logger="titr"):
        res = assess(sc, [2020])
    assert res.demand.set_index("demand").at["a-far-box", "unserved_t"] > 0
    notes = [r for r in caplog.records if "no path for demand a-far-box" in r.getMessage()]
    assert notes and notes[0].name == "titr.assign.candidates"


def test_the_cli_shows_the_log_with_verbose_only(tmp_path: Path) -> None:
    scenario = tmp_path / "isolated.toml"
    scenario.write_text(TINY.read_text(encoding="utf-8") + ISOLATED, encoding="utf-8")

    def run(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "titr", *flags, "assess", "-s",
                               str(scenario), "--years", "2020", "--out",
                               str(tmp_path / "r.duckdb"), "--report",
                               str(tmp_path / "r.html")],
                              capture_output=True, text=True, timeout=300, cwd=tmp_path)

    quiet, loud = run(), run("-v")
    assert quiet.returncode == loud.returncode == 0, quiet.stderr + loud.stderr
    assert "no path for demand a-far-box" not in quiet.stderr
    assert "titr: INFO: 2020: no path for demand a-far-box" in loud.stderr
    assert quiet.stdout.splitlines()[1:] == loud.stdout.splitlines()[1:]  # [0]: timings
