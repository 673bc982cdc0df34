"""Generated input that cannot be guessed in advance: arbitrary bytes, arbitrary TOML documents
and mutations of a valid scenario, given to `titr validate`, `titr assess` and as experiment
files. Every one ends in exit code 0 (a valid result) or 2 with messages that each carry a
fix — never a traceback.

Example counts are modest for CI; ``TITR_FUZZ_EXAMPLES=2000`` runs a larger local profile.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tiny_support import TINY, paths_in, tiny_raw
from titr.cli.main import app

EXAMPLES = int(os.environ.get("TITR_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
RUNNER = CliRunner()

# words of the scenario and experiment formats, so documents reach the deeper checks
WORDS = ["id", "name", "extends", "remove", "first_year", "last_year", "seed", "parameters",
         "logit_scale", "value", "unit", "source", "assumption", "nodes", "links", "from", "to",
         "mode", "distance", "speed", "capacity", "demand", "volume", "year", "growth",
         "projects", "changes", "op", "target", "fleets", "vessels", "cargo", "per",
         "scenario", "years", "design", "points", "replications", "values", "low", "high",
         "levels", "path", "relative", "set", "outputs", "sensitivity", "events", "start"]
UNITS = ["km", "h", "d", "t/yr", "TEU/yr", "USD/t", "1/USD", "1", "%", "vessels", "kn", "?/"]
scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True),
    st.booleans(), st.text(max_size=30), st.sampled_from(WORDS), st.sampled_from(UNITS),
    st.just("middle-corridor"), st.just(str(TINY)), st.just("/dev/zero"),
    st.just("/etc/passwd"), st.just("links.a-b"), st.dates())
keys = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)), max_leaves=25)
documents = st.dictionaries(keys, values, max_size=8)


def run(*args: str) -> None:
    """Run titr in-process; assert a clean ending: 0, or 2 with a fix on every error line."""
    r = RUNNER.invoke(app, list(args))
    out = r.output
    assert "Traceback" not in out, out
    assert r.exit_code in (0, 2), (r.exit_code, out, r.exception)
    if r.exception is not None:
        assert isinstance(r.exception, SystemExit), repr(r.exception)
    if r.exit_code == 2:
        errors = [x for x in out.splitlines() if x.startswith("error:")]
        assert errors, out
        assert all("Fix:" in x for x in errors), out


def _write(tmp: Path, data: bytes, name: str = "doc.toml") -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


@pytest.mark.timeout(1800)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_to_validate(tmp_path_factory: pytest.TempPathFactory,
                                     data: bytes) -> None:
    run("validate", str(_write(tmp_path_factory.mktemp("b"), data)))


@pytest.mark.timeout(1800)
@FUZZ
@given(doc=documents, bom=st.booleans())
def test_arbitrary_toml_to_validate(tmp_path_factory: pytest.TempPathFactory,
                                    doc: dict[str, Any], bom: bool) -> None:
    text = tomli_w.dumps(doc).encode()
    run("validate", str(_write(tmp_path_factory.mktemp("t"), (b"\xef\xbb\xbf" if bom else b"")
                               + text)))


TINY_RAW = tiny_raw()
TINY_PATHS = paths_in(TINY_RAW)
mutations = st.lists(st.tuples(st.sampled_from(TINY_PATHS), values), min_size=1, max_size=3)


def _mutated(changes: list[tuple[tuple[Any, ...], Any]],
             base: dict[str, Any] = TINY_RAW) -> dict[str, Any]:
    """``base`` with the values set at the paths (a path an earlier change cut is skipped)."""
    raw = copy.deepcopy(base)
    for path, value in changes:
        node: Any = raw
        for i, part in enumerate(path):
            last = i == len(path) - 1
            fits = (isinstance(node, dict) and isinstance(part, str)
                    and (last or part in node)) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node))
            if not fits:
                break
            if last:
                node[part] = value
            else:
                node = node[part]
    return raw


@pytest.mark.timeout(1800)
@FUZZ
@given(changes=mutations)
def test_mutated_scenario_to_validate(tmp_path_factory: pytest.TempPathFactory,
                                      changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    raw = _mutated(changes)
    path = _write(tmp_path_factory.mktemp("m"), tomli_w.dumps(raw).encode())
    run("validate", str(path))


@pytest.mark.timeout(1800)
@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
@given(changes=mutations, years=st.sampled_from(["2020", "2020-2021", "2024,2025", "2019",
                                                 "2021-2020", "0-99999999"]))
def test_mutated_scenario_to_assess(tmp_path_factory: pytest.TempPathFactory,
                                    changes: list[tuple[tuple[Any, ...], Any]],
                                    years: str) -> None:
    folder = tmp_path_factory.mktemp("a")
    path = _write(folder, tomli_w.dumps(_mutated(changes)).encode())
    run("assess", "--scenario", str(path), "--years", years, "--simulate", "none",
        "--out", str(folder / "r.duckdb"))


EXPERIMENT = {"name": "fuzz", "scenario": str(TINY), "years": [2022], "replications": 2,
              "parameters": [{"name": "ferries", "path": "fleets.ferries.vessels",
                              "values": [1, 3]}]}
EXP_PATHS = paths_in(EXPERIMENT)


@pytest.mark.timeout(1800)
@FUZZ
@given(doc=st.one_of(documents, st.lists(st.tuples(st.sampled_from(EXP_PATHS), values),
                                         min_size=1, max_size=3)))
def test_experiment_files(tmp_path_factory: pytest.TempPathFactory, doc: Any) -> None:
    from titr.experiments import load_experiment
    from titr.model import TitrError

    if isinstance(doc, list):  # mutations of a valid experiment
        doc = _mutated(doc, EXPERIMENT)
    path = _write(tmp_path_factory.mktemp("e"), tomli_w.dumps(doc).encode())
    try:
        load_experiment(path)
    except TitrError as e:
        assert e.problems and all(p.fix for p in e.problems), e

