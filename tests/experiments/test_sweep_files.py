"""Experiment files: what is refused before anything runs, and the designs they give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sweep_support import TINY, TINY_EXPERIMENT, tiny_experiment, titr, write

from titr.experiments import load_experiment, read_experiment
from titr.experiments.design import points, size
from titr.experiments.spec import builtin_names
from titr.model import TitrError

PARAM = '\n[[parameters]]\nname = "x"\n'


def _with(extra_top: str = "", param: str = "") -> str:
    """The tiny experiment with lines added at the top and one more parameter block."""
    head, _, rest = TINY_EXPERIMENT.partition("[[parameters]]")
    return head + extra_top + "\n[[parameters]]" + rest + (PARAM + param if param else "")


BAD = [
    ("unknown top-level field", _with('colour = "red"\n'), "colour", "unknown field"),
    ("unknown parameter field", _with(param='path = "parameters.co2_price"\nvaleus = [1]'),
     "valeus", "unknown field"),
    ("unknown item", _with(param='path = "fleets.nope.vessels"\nvalues = [1]'),
     "parameters[x].path", "no item 'nope'"),
    ("unknown field of an item", _with(param='path = "fleets.ferries.colour"\nvalues = [1]'),
     "parameters[x].path", "no field 'colour'"),
    ("unknown collection", _with(param='path = "boats.ferries.vessels"\nvalues = [1]'),
     "parameters[x].path", "boats"),
    ("empty range", _with(param='path = "parameters.co2_price"\nlow = 5\nhigh = 5\nlevels = 2'),
     "parameters[x]", "is empty"),
    ("reversed range", _with(param='path = "parameters.co2_price"\nlow = 9\nhigh = 1\n'
                                   'levels = 2'), "parameters[x]", "is empty"),
    ("empty values", _with(param='path = "parameters.co2_price"\nvalues = []'),
     "parameters[x].values", "empty"),
    ("range without levels", _with(param='path = "parameters.co2_price"\nlow = 0\nhigh = 9'),
     "parameters[x].levels", "levels"),
    ("not a number", _with(param='path = "parameters.co2_price"\nvalues = [1, "cheap"]'),
     "parameters[x].values", "not a number"),
    ("unknown output", _with().replace('outputs = ["focus_t"', 'outputs = ["tonnage"'),
     "outputs", "unknown output 'tonnage'"),
    ("sampled design without points", _with().replace('"full-factorial"', '"monte-carlo"'),
     "points", "needs a number of points"),
    ("year outside the horizon", _with().replace("years = [2022]", "years = [2040]"),
     "years", "outside the scenario's horizon"),
    ("missing scenario", _with().replace(str(TINY), "no-such.toml"), "scenario",
     "no scenario"),
    ("a wildcard nothing has", _with(param='path = "links.*.colour"\nvalues = [1]'),
     "parameters[x].path", "no item of 'links' has the field"),
    ("TOML syntax", _with("name = = 1\n"), "", "TOML syntax error"),
]


@pytest.mark.parametrize("case, text, where, what", BAD, ids=[b[0] for b in BAD])
def test_bad_files_give_one_problem_with_file_field_and_fix(tmp_path: Path, case: str,
                                                            text: str, where: str,
                                                            what: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TitrError) as err:
        load_experiment(path)
    assert len(err.value.problems) == 1, err.value
    p = err.value.problems[0]
    assert p.file == str(path)
    assert where in p.where or where in p.what
    assert what in str(p)
    assert p.fix


def test_too_many_runs_are_refused_with_the_count(tmp_path: Path) -> None:
    path = tiny_experiment(tmp_path, replications=100)
    with pytest.raises(TitrError, match=r"4 points × 100 replications = 400 runs, more than "
                                        r"--max-runs 50"):
        load_experiment(path, max_runs=50)


def test_cli_refuses_a_bad_file_with_exit_2_and_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, _with(param='path = "fleets.nope.vessels"\nvalues = [1]'))
    r = titr("sweep", str(path), "--out", str(tmp_path / "s.duckdb"), "--executor", "serial")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert str(path) in lines[0] and "parameters[x].path" in lines[0] and "Fix:" in lines[0]
    assert not (tmp_path / "s.duckdb").exists()


def test_cli_max_runs_refusal(tmp_path: Path) -> None:
    path = tiny_experiment(tmp_path, replications=30)
    r = titr("sweep", str(path), "--out", str(tmp_path / "s.duckdb"), "--max-runs", "100")
    assert r.returncode == 2 and "120 runs" in r.stderr and "--max-runs" in r.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_full_factorial_order_and_size(tmp_path: Path) -> None:
    text = _with(param='path = "parameters.co2_price"\nlow = 0\nhigh = 10\nlevels = 3')
    exp, _ = read_experiment(write(tmp_path, text))
    pts = points(exp)
    assert size(exp) == len(pts) == 2 * 2 * 3
    assert pts[0] == {"ferries": 1, "market": 0.5, "x": 0}
    assert pts[1] == {"ferries": 1, "market": 0.5, "x": 5}  # the last parameter fastest
    assert pts[-1] == {"ferries": 3, "market": 1.5, "x": 10}


def test_latin_hypercube_uses_each_stratum_once_and_is_reproducible(tmp_path: Path) -> None:
    text = _with(param='path = "parameters.co2_price"\nlow = 0.0\nhigh = 10.0')
    text = text.replace('"full-factorial"', '"latin-hypercube"\npoints = 8')
    exp, _ = read_experiment(write(tmp_path, text))
    pts = points(exp)
    x = np.array([p["x"] for p in pts])
    assert sorted(np.floor(x / 10 * 8).astype(int)) == list(range(8))
    assert pts == points(exp)
    assert {p["ferries"] for p in pts} == {1, 3}  # a list is cut by position
    # a list of two is cut into two halves of four strata each: each value four times
    assert sorted(p["ferries"] for p in pts) == [1] * 4 + [3] * 4
    other = exp.model_copy(update={"seed": 12})
    assert points(other) != pts


def test_integer_ranges_and_monte_carlo(tmp_path: Path) -> None:
    text = _with(param='path = "fleets.ferries.vessels"\nlow = 1\nhigh = 6')
    text = text.replace('"full-factorial"', '"monte-carlo"\npoints = 30').replace(
        'path = "fleets.ferries.vessels"\nvalues = [1, 3]', 'path = "parameters.co2_price"\n'
        'values = [1, 3]')
    exp, _ = read_experiment(write(tmp_path, text))
    xs = [p["x"] for p in points(exp)]
    assert all(isinstance(v, int) and 1 <= v <= 6 for v in xs) and len(set(xs)) > 3


def test_wildcards_and_relative_factors(tmp_path: Path) -> None:
    text = _with(param='path = "links.*.tariff"\nrelative = true\nvalues = [2.0]')
    r = load_experiment(write(tmp_path, text))
    assert sorted(r.paths["x"]) == ["links.a-b.tariff", "links.b-p.tariff", "links.b-z.tariff",
                                    "links.q-z.tariff"]
    over = r.overrides({"ferries": 3, "market": 0.5, "x": 2.0})
    assert over["links.a-b.tariff"] == pytest.approx(0.1)  # 2 × 0.05 USD/t/km
    assert over["fleets.ferries.vessels"] == 3 and over["parameters.market_scale"] == 0.5


def test_fingerprint_ignores_the_description_only(tmp_path: Path) -> None:
    a = load_experiment(write(tmp_path, _with(), "a.toml"))
    b = load_experiment(write(tmp_path, _with('description = "other words"\n'), "b.toml"))
    c = load_experiment(write(tmp_path, _with().replace("seed = 11", "seed = 12"), "c.toml"))
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_the_builtin_experiment_is_valid() -> None:
    assert "ferries-storms-demand-2030" in builtin_names()
    r = load_experiment("ferries-storms-demand-2030")
    exp = r.experiment
    assert size(exp) == 27 and exp.years == [2030]
    assert len(r.paths["growth-factor"]) > 5  # every demand item with a growth rate
    assert r.paths["kz-ferries"] == ["fleets.kz-ferries.vessels"]  # added by a project


def test_latin_hypercube_has_one_point_per_stratum_in_every_dimension(tmp_path: Path) -> None:
    text = TINY_EXPERIMENT.replace('"full-factorial"', '"latin-hypercube"\npoints = 13')
    text = text.replace('values = [1, 3]', 'low = 1.0\nhigh = 3.0').replace(
        'values = [0.5, 1.5]', 'low = 0.5\nhigh = 1.5')
    text += PARAM + 'path = "parameters.co2_price"\nlow = 0.0\nhigh = 100.0\n'
    exp, _ = read_experiment(write(tmp_path, text))
    pts = points(exp)
    bounds = {"ferries": (1.0, 3.0), "market": (0.5, 1.5), "x": (0.0, 100.0)}
    for label, (low, high) in bounds.items():
        u = (np.array([p[label] for p in pts]) - low) / (high - low)
        assert sorted(np.floor(u * 13).astype(int)) == list(range(13)), label
    assert points(exp) == pts  # the same seed, the same design
