"""Pool tasks leave their worker as they found it (titr.web.tidy), and answer as before."""

from __future__ import annotations

import dataclasses
import gc
from typing import Any

import pandas as pd
import pytest

import titr
from titr.assign import assess
from titr.web import compute
from titr.web.levers import apply_levers
from titr.web.schemas import Levers

ONE_YEAR = {"first_year": 2026, "last_year": 2026}


def _sizes(cache: dict[str, Any]) -> dict[str, int]:
    out = {}
    for k, v in cache.items():
        if isinstance(v, dict):
            out[k] = len(v)
        elif dataclasses.is_dataclass(v):
            out |= {f"{k}.{f.name}": len(getattr(v, f.name)) for f in dataclasses.fields(v)
                    if isinstance(getattr(v, f.name), dict)}
    return out


def test_a_pooled_what_if_adds_nothing_to_the_base_and_equals_a_fresh_assessment() -> None:
    base = compute.base_scenario("middle-corridor")
    assess(base, [2026])  # the base assessed, as in a warm worker
    before = _sizes(base.shared_cache())
    outs = [compute.pooled(compute.assess_task, {**ONE_YEAR, "levers": {"co2_price": 77.0}})
            for _ in range(2)]
    assert _sizes(base.shared_cache()) == before
    assert gc.isenabled()
    # the same what-if on a scenario loaded afresh, without a base to borrow from
    fresh = assess(apply_levers(titr.load("middle-corridor"), Levers(co2_price=77.0)), [2026])
    for out in outs:
        for table in ("totals", "flows", "shares", "utilisation"):
            pd.testing.assert_frame_equal(getattr(out.res, table), getattr(fresh, table))
    # the response's tables, made in the worker, are those of the result
    assert [r["year"] for r in outs[0].totals] == [2026]
    assert {r["corridor"] for r in outs[0].volumes} == set(fresh.shares.corridor)


def test_a_failing_task_still_restores_the_collector() -> None:
    with pytest.raises(compute.Failed):
        compute.pooled(compute.assess_task, {"first_year": 2030, "last_year": 2040})
    assert gc.isenabled()
