"""What the assessment keeps and reuses — graphs and path sets across years, assessed years
for a what-if — gives the answers computed by hand and the answers of a fresh assessment; the
record of route choice's rounds is kept. Expected values from tests/fixtures/tiny.toml by hand
(see test_routing.py)."""

from __future__ import annotations

import gc
import math
from typing import Any

import pandas as pd
import pytest

from tiny_support import fig
from titr.assign import assess
from titr.assign.scenario_tables import source_rows
from titr.model.loader import validate_raw
from titr.model.scenario import Scenario
from titr.routing.corridor_paths import best_by_corridor
from titr.routing.graph import shared_graph

# Middle a→b→p→ferry→q→z: 155 h with 2 vessels (15 h wait), 150 h with the third vessel of
# 2023 (10 h); 195 USD/t; generalized 350 and 345 USD/t. Northern a→b→z: 130 h, 430 USD/t.
MIDDLE_H, MIDDLE_GC, NORTH_GC = 155.0, 350.0, 430.0
THETA = 0.001  # the tiny scenario's logit scale, 1/USD
FIXED = {y: {"p-q": 15.0} for y in range(2020, 2026)}  # fixed waits: no congestion term


def middle_share(gap_usd: float) -> float:
    """Logit share of the middle corridor when it is ``gap_usd`` cheaper than the northern."""
    return 1.0 / (1.0 + math.exp(-THETA * gap_usd))


def test_graphs_follow_the_project_that_changes_the_network(tiny: Scenario) -> None:
    # 2020 and 2021 have the same network: one graph, with its path sets, serves both
    g2020 = shared_graph(tiny.network(2020), "container")
    assert shared_graph(tiny.network(2021), "container") is g2020
    # 2023 adds a ferry: a graph of its own, with the shorter wait
    g2023 = shared_graph(tiny.network(2023), "container")
    assert g2023 is not g2020
    assert best_by_corridor(g2023, "a", "z")["middle"].hours == pytest.approx(MIDDLE_H - 5)
    assert best_by_corridor(g2023, "a", "z")["middle"].cost == pytest.approx(MIDDLE_GC - 5)
    # and going back to an earlier year gives that year's answer again
    again = best_by_corridor(shared_graph(tiny.network(2020), "container"), "a", "z")
    assert again["middle"].hours == pytest.approx(MIDDLE_H)
    assert again["northern"].cost == pytest.approx(NORTH_GC)


def test_reuse_across_years_gives_the_answer_of_a_fresh_build(tiny: Scenario) -> None:
    whole = assess(tiny, waits=FIXED)
    # by hand: with the wait fixed at 15 h the middle corridor costs 350 USD/t every year
    # (the third ferry's shorter zero-flow wait is replaced by the fixed one): 80 cheaper
    assert whole.totals.focus_share.tolist() == pytest.approx([middle_share(80)] * 6)
    # each year assessed alone, on a freshly built scenario, gives the same tables
    for y in tiny.years:
        alone = assess(validate_raw(tiny.model_dump(by_alias=True, exclude_none=True),
                                    tiny.path), [y], waits=FIXED)
        for name in ("totals", "flows", "shares", "utilisation", "demand", "corridors"):
            mine = getattr(whole, name)
            pd.testing.assert_frame_equal(mine[mine.year == y].reset_index(drop=True),
                                          getattr(alone, name), check_exact=False, rtol=1e-12)


def _with_ferry_surcharge(sc: Scenario, year: int, usd: float) -> Scenario:
    """A what-if: from ``year`` the ferry costs ``usd`` more per tonne."""
    raw: dict[str, Any] = sc.model_dump(by_alias=True, exclude_none=True)
    raw["projects"].append({"id": "dear-ferry", "year": year, "source": "HAND", "changes": [
        {"op": "set", "target": "sea_services.p-q.tariff", "value": fig(20 + usd, "USD/t")}]})
    return validate_raw(raw, sc.path)


def test_a_what_if_solves_only_the_years_it_touches(tiny: Scenario) -> None:
    base = assess(tiny, waits=FIXED)
    variant = _with_ferry_surcharge(tiny, 2024, 80.0)
    what_if = assess(variant, waits=FIXED, base=tiny)
    # by hand: before 2024 as the base; from 2024 the middle corridor costs 430 like the
    # northern one, so they split evenly
    share = what_if.totals.set_index("year").focus_share
    assert share.loc[2020:2023].tolist() == pytest.approx([middle_share(80)] * 4)
    assert share.loc[2024:2025].tolist() == pytest.approx([0.5, 0.5])
    # the years before the change are the base's own (not solved again) ...
    kept: dict[Any, Any] = variant.memo("assessed years", dict)
    lent: dict[Any, Any] = tiny.memo("assessed years", dict)
    by_year = {key[0]: (rec, lent.get(key)) for key, rec in kept.items()}
    assert all(by_year[y][0] is by_year[y][1] for y in (2020, 2021, 2022, 2023))
    assert all(by_year[y][0] is not by_year[y][1] for y in (2024, 2025))
    # ... and the whole answer is that of a fresh assessment of the changed scenario
    fresh = assess(_with_ferry_surcharge(tiny, 2024, 80.0), waits=FIXED)
    for name in ("totals", "flows", "shares", "utilisation", "demand", "corridors", "groups"):
        pd.testing.assert_frame_equal(getattr(what_if, name), getattr(fresh, name))
    assert base.totals.focus_share.tolist() == pytest.approx([middle_share(80)] * 6)


def test_each_round_of_route_choice_is_recorded(vary) -> None:  # type: ignore[no-untyped-def]
    # a market large enough to congest the ferry: the split needs several rounds
    def big(raw: dict[str, Any]) -> None:
        raw["demand"][0]["volume"] = [{"year": 2020, **fig(40_000, "TEU/yr")}]
        raw["parameters"]["logit_scale"] = fig(0.05, "1/USD")
    sc = vary(big)
    res = assess(sc, [2020])
    rounds = [r for r in res.meta["convergence"] if r[0] == 2020]
    total = res.totals.iloc[0]
    assert [r[1] for r in rounds] == list(range(1, int(total.iterations) + 1))
    assert len(rounds) > 2
    gaps = [r[2] for r in rounds]
    assert gaps[-1] == pytest.approx(total.gap)
    assert gaps[-1] < 1e-3 < gaps[0]  # converged, from a split that had to move
    assert rounds[-1][3] == 0.0  # no step after the last round


def test_a_what_if_shares_the_items_it_leaves_alone(tiny: Scenario) -> None:
    raw: dict[str, Any] = tiny.model_dump(by_alias=True, exclude_none=True)
    raw["projects"].append({"id": "dear-ferry", "year": 2024, "source": "HAND", "changes": [
        {"op": "set", "target": "sea_services.p-q.tariff", "value": fig(100, "USD/t")}]})
    variant = validate_raw(raw, tiny.path, like=tiny)
    # the scenario's items the change leaves alone are the base's very objects ...
    assert all(a is b for a, b in zip(variant.nodes, tiny.nodes, strict=True))
    assert variant.parameters is tiny.parameters
    for year in (2020, 2023, 2024):
        mine, theirs = variant.network(year), tiny.network(year)
        assert all(mine.links[k] is theirs.links[k] for k in theirs.links)
        # ... and so are the networks' items equal to the base's of the same year (a project's
        # ferry of 2023 included); the changed service is not
        assert all(mine.fleets[k] is theirs.fleets[k] for k in theirs.fleets)
        assert (mine.services["p-q"] is theirs.services["p-q"]) == (year < 2024)
        assert mine.services["p-q"] == theirs.services["p-q"] or year >= 2024
    # the same scenario as one validated on its own: the same answer
    alone = validate_raw(raw, tiny.path)
    assert alone.network(2024).services["p-q"] == variant.network(2024).services["p-q"]
    for name in ("totals", "flows", "shares", "utilisation", "demand", "corridors", "groups"):
        pd.testing.assert_frame_equal(getattr(assess(variant, waits=FIXED), name),
                                      getattr(assess(alone, waits=FIXED), name))


def test_paths_whose_legs_stay_are_kept_from_year_to_year(tiny: Scenario) -> None:
    # 2023's third ferry changes the ferry's legs, not the northern line's: the 2023 graph
    # keeps 2020's northern path (the very object) and makes a new middle one; both are the
    # paths a freshly loaded scenario makes
    old = best_by_corridor(shared_graph(tiny.network(2020), "container"), "a", "z")
    new = best_by_corridor(shared_graph(tiny.network(2023), "container"), "a", "z")
    assert new["northern"] is old["northern"]
    assert new["middle"] is not old["middle"]
    fresh = validate_raw(tiny.model_dump(by_alias=True, exclude_none=True), tiny.path)
    for year, paths in ((2020, old), (2023, new)):
        alone = best_by_corridor(shared_graph(fresh.network(year), "container"), "a", "z")
        assert alone == paths
    assert new["middle"].hours == pytest.approx(MIDDLE_H - 5)


def test_the_assessment_leaves_the_garbage_collector_as_it_found_it(tiny: Scenario) -> None:
    # it sets aside (gc.freeze) what was alive before and each year's results while it runs,
    # and gives all of them back to the collector at the end ...
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    first = assess(tiny, waits=FIXED)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    # ... and leaves a caller's own arrangement alone (a server that froze before forking)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        again = assess(validate_raw(tiny.model_dump(by_alias=True, exclude_none=True),
                                    tiny.path), waits=FIXED)
        assert gc.get_freeze_count() <= frozen  # none added (some frozen ones may die)
    finally:
        gc.unfreeze()
    pd.testing.assert_frame_equal(first.flows, again.flows)


def test_a_scenarios_figures_are_walked_once_and_its_memo_is_no_part_of_it(
        tiny: Scenario) -> None:
    from titr.model.scenario import _walk

    # every figure with its path, as the plain walk through every field finds them, and the
    # same list again without walking (checking, ranges and the sources table all ask)
    assert list(tiny.figures()) == list(_walk(tiny, ""))
    assert all(a[1] is b[1] for a, b in zip(tiny.figures(), tiny.figures(), strict=True))
    # what a scenario keeps for itself (its figures, its sources table) does not make it
    # another scenario
    raw = tiny.model_dump(by_alias=True, exclude_none=True)
    one, other = validate_raw(raw, tiny.path), validate_raw(raw, tiny.path)
    assert source_rows(one) and one == other
