"""Numbers out of their band, in a scenario, an experiment or a command-line option, and places
that cannot be written: each ends in one message with the band (or the place) and a fix, exit
code 2, before any work is done."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tiny_support import TINY, fig, item
from titr.model import TitrError
from titr.model.ranges import SEED_MAX

EXPERIMENT = f'name = "x"\nscenario = "{TINY}"\nyears = [2022]\n'


def titr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def one_message(r: subprocess.CompletedProcess[str], *words: str) -> str:
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1, r.stderr
    assert "Fix:" in lines[0], lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


# ---- scenario numbers -----------------------------------------------------------------------
def _seed(raw: dict[str, Any]) -> None:
    raw["seed"] = -1


def _huge_seed(raw: dict[str, Any]) -> None:
    raw["seed"] = SEED_MAX + 1


def _negative_demand(raw: dict[str, Any]) -> None:
    item(raw, "demand", "a-z-box")["volume"][0]["value"] = -5


def _logit(raw: dict[str, Any]) -> None:
    raw["parameters"]["logit_scale"]["value"] = 1e308


def _nan_latitude(raw: dict[str, Any]) -> None:
    raw["nodes"][0]["lat"] = math.nan


def _inf_figure(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["distance"] = fig(math.inf, "km")


def _huge_figure(raw: dict[str, Any]) -> None:
    item(raw, "links", "a-b")["distance"] = fig(1e200, "km")


def _growth(raw: dict[str, Any]) -> None:
    item(raw, "demand", "a-z-box")["growth"] = fig(1e6, "%/yr")


def _demand_year(raw: dict[str, Any]) -> None:
    item(raw, "demand", "a-z-box")["volume"][0]["year"] = 20200


def _horizon_reversed(raw: dict[str, Any]) -> None:
    raw["first_year"], raw["last_year"] = 2025, 2020


def _horizon_early(raw: dict[str, Any]) -> None:
    raw["first_year"] = 1800


@pytest.mark.parametrize(("change", "where", "words"), [
    (_seed, "seed", "0 … 4294967295"),
    (_huge_seed, "seed", "outside"),
    (_negative_demand, "demand[a-z-box].volume[2020]", "negative"),
    (_logit, "parameters.logit_scale", "[1e-06, 10] 1/USD"),
    (_nan_latitude, "lat", "not a finite number"),
    (_inf_figure, "links[a-b].distance", "not a finite number"),
    (_huge_figure, "links[a-b].distance", "1e+12"),
    (_growth, "demand[a-z-box].growth", "%/yr"),
    (_demand_year, "demand[a-z-box].volume[20200].year", "1900 … 2200"),
    (_horizon_reversed, "", "before first_year"),
    (_horizon_early, "first_year", "1990"),
])
def test_numbers_out_of_band_are_refused_at_validate(vary, change, where: str,  # type: ignore[no-untyped-def]
                                                     words: str) -> None:
    with pytest.raises(TitrError) as e:
        vary(change)
    p = e.value.problems[0]
    assert where in p.where and words in str(p), e.value
    assert all(q.fix for q in e.value.problems), e.value


def test_a_negative_seed_ends_at_validate_not_in_simulate(tmp_path: Path) -> None:
    path = tmp_path / "seed.toml"
    path.write_text(TINY.read_text().replace('last_year = 2025', 'last_year = 2025\nseed = -3'))
    one_message(titr("validate", str(path)), "seed")
    one_message(titr("simulate", "--scenario", str(path), "--year", "2022"), "seed")


# ---- experiment numbers ---------------------------------------------------------------------
@pytest.mark.parametrize(("extra", "words"), [
    ("replications = -2\n", "at least 1"),
    ("seed = -1\n", "at least 0"),
    ("warmup_days = nan\n", "not a finite number"),
    ("years = [2022, 2040]\n", "horizon"),
])
def test_experiment_numbers_have_a_fix(tmp_path: Path, extra: str, words: str) -> None:
    text = EXPERIMENT.replace("years = [2022]\n", "") if extra.startswith("years") else EXPERIMENT
    path = tmp_path / "exp.toml"
    path.write_text(text + extra)
    one_message(titr("sweep", str(path), "--out", str(tmp_path / "s.duckdb")), words)


def test_a_design_too_large_to_build_is_refused_before_expansion(tmp_path: Path) -> None:
    path = tmp_path / "exp.toml"
    params = "".join(f'\n[[parameters]]\nname = "p{i}"\npath = "parameters.{name}"\n'
                     "low = 0.5\nhigh = 0.9\nlevels = 1000\n"
                     for i, name in enumerate(["co2_price", "market_scale", "vot_scale"]))
    path.write_text(EXPERIMENT + params)
    # 10⁹ points: refused by the stated point limit even when --max-runs would allow them
    one_message(titr("sweep", str(path), "--out", str(tmp_path / "s.duckdb"), "--max-runs",
                     "1000000"), "100,000")


# ---- command-line options -------------------------------------------------------------------
@pytest.mark.parametrize(("args", "words"), [
    (["assess", "--years", "0-999999999"], "outside the scenario's horizon"),
    (["assess", "--years", "1900-9999"], "1900-9999"),
    (["assess", "--years", "2025-2021"], "reversed"),
    (["assess", "--years", "soon"], "cannot read"),
    (["assess", "--simulate", "1800"], "--simulate"),
    (["assess", "--sim-replications", "0"], "1 … 1,000"),
    (["assess", "--set", "parameters.logit_scale=1e308"], "sane band"),
    (["assess", "--set", "parameters.logit_scale=nan"], "not a finite number"),
    (["simulate", "--seed", "-1"], "--seed"),
    (["simulate", "--replications", "-2"], "--replications"),
    (["simulate", "--year", "1800"], "horizon"),
    (["closure", "--days", "nan"], "--days"),
    (["closure", "--month", "13"], "--month"),
    (["show", "--year", "99999"], "horizon"),
    (["projects", "--year", "1800"], "horizon"),
    (["sweep", "ferries-storms-demand-2030", "--max-runs", "0"], "--max-runs"),
    (["sweep", "ferries-storms-demand-2030", "--workers", "0"], "--workers"),
])
def test_options_out_of_band(tmp_path: Path, args: list[str], words: str) -> None:
    if args[0] != "sweep":
        args = [*args, "--scenario", str(TINY)] if args[0] != "show" else [
            args[0], str(TINY), *args[1:]]
    else:
        args = [*args, "--out", str(tmp_path / "s.duckdb")]
    if args[0] == "assess":
        args += ["--out", str(tmp_path / "r.duckdb")]
    one_message(titr(*args, cwd=tmp_path), words)
    assert not (tmp_path / "r.duckdb").exists() and not (tmp_path / "s.duckdb").exists()


# ---- places to write ------------------------------------------------------------------------
def _places(tmp_path: Path) -> dict[str, Path]:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    return {"folder": tmp_path, "under a file": plain / "r.duckdb",
            "read-only": Path("/sys/titr-test.duckdb")}


@pytest.mark.parametrize("kind", ["folder", "under a file", "read-only"])
def test_assess_checks_out_before_any_work(tmp_path: Path, kind: str) -> None:
    out = _places(tmp_path)[kind]
    line = one_message(titr("assess", "--scenario", str(TINY), "--out", str(out),
                            "--simulate", "none"), "--out")
    assert "assessed" not in line


@pytest.mark.parametrize("kind", ["folder", "under a file", "read-only"])
def test_report_checks_its_output(tmp_path: Path, kind: str) -> None:
    out = _places(tmp_path)[kind]
    one_message(titr("report", "/no/such/results.duckdb", "-o", str(out)), "--out")


@pytest.mark.parametrize("kind", ["under a file", "read-only"])
def test_sweep_and_export_folders_are_checked(tmp_path: Path, kind: str) -> None:
    place = _places(tmp_path)[kind]
    one_message(titr("sweep", "ferries-storms-demand-2030", "--out", str(place)), "--out")
    folder = place.parent if kind == "read-only" else place
    one_message(titr("sweep", "export", "x.duckdb", "--csv", str(folder)), "--csv")
    one_message(titr("export", "-f", "csv", "-o", str(folder)), "--out")


def test_a_missing_folder_is_made_and_the_check_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "r.duckdb"
    r = titr("assess", "--scenario", str(TINY), "--years", "2020", "--out", str(out),
             "--simulate", "none")
    assert r.returncode == 0, r.stderr
    assert out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".titr-probe")]
