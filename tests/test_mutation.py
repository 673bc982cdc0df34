"""Hypothesis mutates valid scenarios: every result is a valid scenario or a clear TitrError,
never another exception."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiny_support import paths_in, tiny_raw
from titr.assign import assess
from titr.model import TitrError, load

VALUES = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8), st.booleans(), st.just([]), st.just({}),
    st.sampled_from(["km", "bbl", "TEU/yr", "Mt/yr", "trains/day", "USD/t", "kn", "nope", "",
                     "HAND", "a", "z", "p-q", "container", "*", "set", "add"]),
)


def _mutate(raw: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = paths_in(raw)
        path = data.draw(st.sampled_from(paths))
        parent = raw
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = data.draw(st.sampled_from(["set", "delete", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[key] = data.draw(VALUES)
    return raw


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_scenarios_load_or_fail_clearly(tmp_path_factory, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    raw = _mutate(tiny_raw(), data)
    path = Path(tmp_path_factory.mktemp("m")) / "mutant.toml"
    path.write_bytes(tomli_w.dumps(raw).encode())
    try:
        sc = load(path)
        res = assess(sc, [sc.first_year, sc.last_year])
        assert (res.demand.demand_t >= -1e-9).all()
    except TitrError as e:
        assert e.problems
        for p in e.problems:
            assert p.what and str(p)
