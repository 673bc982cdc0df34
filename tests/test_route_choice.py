"""Route choice: nested-logit shares solved by hand, captive cargo kept on its corridor, and
unserved cargo priced by its real alternative."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from tiny_support import add_second_port, fig
from titr.assign import assess
from titr.assign.logit import logit_shares, nested_shares, segmented_shares

FERRY_T = 2 * (8760 / 60) * 50 * 20  # 2 vessels × 146 round trips × 50 wagons × 20 t
WAITS = {2020: {"p-q": 15.0, "p2-q": 15.0}}  # fixed waits: no congestion term


def test_nested_logit_shares_by_hand() -> None:
    # sea nest {suez 100, cape 110} with μ = 0.5, rail nest {northern 105}, θ = 0.1 /USD
    s = nested_shares(np.array([100.0, 110.0, 105.0]), ["sea", "sea", "rail"], 0.1,
                      {"sea": 0.5, "rail": 1.0})
    inner_suez = 1 / (1 + math.exp(-2))  # e^{-20} / (e^{-20} + e^{-22})
    logsum_sea = 100 - 5 * math.log(1 + math.exp(-2))  # −(μ/θ)·ln Σ e^{−θC/μ}
    p_sea = 1 / (1 + math.exp(-0.1 * (105 - logsum_sea)))
    assert s == pytest.approx([p_sea * inner_suez, p_sea * (1 - inner_suez), 1 - p_sea])


def test_nested_logit_with_unit_scales_is_the_plain_logit() -> None:
    c = np.array([300.0, 301.0, 350.0, np.inf])
    s = nested_shares(c, ["m", "m", "n", "s"], 0.05, {})
    assert s == pytest.approx(logit_shares(c, 0.05))


def test_an_avoiding_segment_keeps_the_rest_choosing_as_before() -> None:
    # plain logit, θ = 0.1: sea 100, northern 90. 30 % of shippers avoid northern (they all
    # take the sea); the other 70 % split e^{-10} : e^{-9}, i.e. northern 1/(1+e^{-1}).
    s = segmented_shares(np.array([100.0, 90.0]), ["sea", "northern"], 0.1, {},
                         {"northern": 0.3})
    p_north = 1 / (1 + math.exp(-1.0))
    assert s == pytest.approx([0.3 + 0.7 * (1 - p_north), 0.7 * p_north])
    # a premium of 50 USD/t on every shipper instead would leave northern e^{-4}/(1+e^{-4})
    # ≈ 1.8 %: the segment keeps 0.7·73 % ≈ 51 % however dear the sea gets or cheap it falls
    assert s[1] > 0.5


def test_an_avoiding_segment_with_no_other_corridor_chooses_as_the_rest() -> None:
    s = segmented_shares(np.array([90.0, np.inf]), ["northern", "sea"], 0.1, {},
                         {"northern": 0.4})
    assert s == pytest.approx([1.0, 0.0])


def test_near_identical_corridors_split_smoothly() -> None:
    # two ports 0.5 USD/t apart inside one nest: neither takes everything
    s = nested_shares(np.array([200.0, 200.5, 260.0]), ["middle", "middle", "sea"], 0.2,
                      {"middle": 0.5})
    assert s[0] / s[1] == pytest.approx(math.exp(0.2 * 0.5 / 0.5))


def _two_ports(raw: dict[str, Any], tonnes: float, corridor: str) -> None:
    """Port p (corridor "middle") and a second port p2 with a one-vessel ferry (corridor
    "middle-2"), both in group "caspian"; q is reached only by sea."""
    add_second_port(raw)
    raw["corridors"] = [{"id": "middle", "via": ["p-q"], "group": "caspian"},
                        {"id": "middle-2", "via": ["p2-q"], "group": "caspian"},
                        {"id": "northern", "via": ["b-z"], "group": "northern"}]
    raw["demand"] = [{"id": "bulk", "origin": "a", "destination": "q", "cargo": "container",
                      "kind": "captive", "corridor": corridor,
                      "volume": [{"year": 2020, **fig(tonnes, "t/yr")}]}]


def test_captive_cargo_stays_on_its_declared_corridor(vary) -> None:  # type: ignore[no-untyped-def]
    # 400,000 t must cross on "middle", whose ferry takes 292,000 t; the other port has room
    # (146,000 t) but belongs to another corridor: 108,000 t are unserved, none moves there.
    res = assess(vary(lambda raw: _two_ports(raw, 400_000, "middle")), [2020], waits=WAITS)
    flows = res.flows.groupby("element").tonnes.sum()
    assert flows["p-q"] == pytest.approx(FERRY_T, rel=1e-6)
    assert flows.get("p2-q", 0.0) == pytest.approx(0.0, abs=1e-3)
    assert res.totals.unserved_t.iloc[0] == pytest.approx(400_000 - FERRY_T, rel=1e-6)


def test_captive_cargo_on_a_group_uses_all_its_corridors(vary) -> None:  # type: ignore[no-untyped-def]
    # declared on the group: both ferries (292,000 + 146,000 t) carry the 400,000 t. Via p2
    # is 6 USD/t cheaper (200 km more rail: +10 USD and +4 h, but no 20 h dwell at p), so
    # p2's ferry fills (146,000 t) and p's carries the remaining 254,000 t.
    res = assess(vary(lambda raw: _two_ports(raw, 400_000, "caspian")), [2020], waits=WAITS)
    flows = res.flows.groupby("element").tonnes.sum()
    assert flows["p2-q"] == pytest.approx(FERRY_T / 2, rel=1e-6)
    assert flows["p-q"] == pytest.approx(400_000 - FERRY_T / 2, rel=1e-6)
    assert res.totals.unserved_t.iloc[0] == pytest.approx(0.0, abs=1e-3)


def test_unserved_cargo_is_priced_by_its_alternative(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        _two_ports(raw, 400_000, "middle")
        d = raw["demand"][0]
        d["unserved_cost"] = fig(45, "USD/t")
        d["alternative"] = "trucks round the Caspian"
    res = assess(vary(change), [2020], waits=WAITS)
    u = res.unserved.iloc[0]
    assert u.unserved_t == pytest.approx(400_000 - FERRY_T, rel=1e-6)
    assert u.cost_usd_per_t == pytest.approx(45)
    assert u.cost_usd == pytest.approx(45 * (400_000 - FERRY_T), rel=1e-6)
    assert "trucks round the Caspian" in u.alternative and "HAND" in u.alternative
    # one more tonne of ferry capacity saves exactly the alternative's extra cost
    ferry = res.utilisation.set_index("resource").loc["service:p-q"]
    assert ferry.shadow_usd_per_t == pytest.approx(45, rel=1e-6)
    assert res.totals.bottleneck.iloc[0] == ferry.label


def test_cargo_class_unserved_cost_is_the_fallback(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        _two_ports(raw, 400_000, "middle")
        raw["cargo"][0]["unserved_cost"] = fig(30, "USD/t")
    res = assess(vary(change), [2020], waits=WAITS)
    assert res.unserved.cost_usd_per_t.iloc[0] == pytest.approx(30)


def _sharing_the_ferry(raw: dict[str, Any], priority: bool) -> None:
    """200,000 t of "imports" (alternative 5 USD/t dearer) and 200,000 t of "bulk"
    (alternative 45 USD/t dearer) must both cross on corridor "middle", whose ferry takes
    292,000 t."""
    _two_ports(raw, 200_000, "middle")
    bulk = raw["demand"][0]
    bulk["unserved_cost"] = fig(45, "USD/t")
    imports = {**bulk, "id": "imports", "unserved_cost": fig(5, "USD/t"), "priority": priority}
    raw["demand"].append(imports)


def test_priority_cargo_goes_ahead_of_cargo_with_a_dearer_alternative(vary) -> None:  # type: ignore[no-untyped-def]
    # without priority the LP turns away the cargo whose alternative is cheaper (imports:
    # 108,000 t unserved); with priority the imports are a preload (all 200,000 t cross) and
    # bulk takes the remaining 92,000 t: 108,000 t of bulk go unserved, and one more tonne of
    # ferry capacity is worth bulk's alternative, 45 USD/t.
    plain = assess(vary(lambda raw: _sharing_the_ferry(raw, False)), [2020], waits=WAITS)
    left = plain.unserved.set_index("demand").unserved_t
    assert left["imports"] == pytest.approx(400_000 - FERRY_T, rel=1e-6)
    first = assess(vary(lambda raw: _sharing_the_ferry(raw, True)), [2020], waits=WAITS)
    left = first.unserved.set_index("demand").unserved_t
    assert left.get("imports", 0.0) == pytest.approx(0.0, abs=1e-3)
    assert left["bulk"] == pytest.approx(400_000 - FERRY_T, rel=1e-6)
    ferry = first.utilisation.set_index("resource").loc["service:p-q"]
    assert ferry.shadow_usd_per_t == pytest.approx(45, rel=1e-6)
