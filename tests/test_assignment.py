"""The capacity-constrained assignment against hand-solved cases, a max-flow cut, and random
demand. Capacities are worked out by hand here from the raw figures, never read back from
titr's own capacity code."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiny_support import add_second_port, fig, item
from titr.assign import assess
from titr.assign.logit import logit_shares
from titr.assign.resources import ResourceKey
from titr.assign.year import Options, assign_year
from titr.model.capacity import service_tonnes
from titr.model.demand import demand_rows
from titr.model.scenario import Scenario

FERRY_T = 2 * (8760 / 60) * 50 * 20  # 2 vessels × 146 round trips × 50 wagons × 20 t


def captive(raw: dict[str, Any], tonnes: float, dest: str = "q") -> None:
    raw["demand"] = [{"id": "bulk", "origin": "a", "destination": dest, "cargo": "container",
                      "kind": "captive", "corridor": "middle",
                      "volume": [{"year": 2020, **fig(tonnes, "t/yr")}]}]


def test_fleet_capacity_by_hand(tiny: Scenario) -> None:
    assert service_tonnes(tiny.network(2020), "p-q", "container") == pytest.approx(FERRY_T)
    assert service_tonnes(tiny.network(2023), "p-q", "container") == pytest.approx(FERRY_T * 1.5)


def test_fleet_capacity_with_storms_and_downtime(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        raw["weather"] = [{"id": "sea", "storms": {"events_per_year": fig(10, "1/yr"),
                                                   "mean_duration": fig(36, "h")}}]
        item(raw, "sea_services", "p-q")["weather"] = "sea"
        raw["parameters"]["technical_availability"] = fig(0.9, "1")
    sc = vary(change)
    expected = FERRY_T * 0.9 * (1 - 360 / 8760)
    assert service_tonnes(sc.network(2020), "p-q", "container") == pytest.approx(expected)


def test_unserved_captive_cargo_and_its_shadow_price(vary) -> None:  # type: ignore[no-untyped-def]
    sc = vary(lambda raw: captive(raw, 400_000))
    net = sc.network(2020)
    out = assign_year(net, demand_rows(sc.demand, net.cargo, 2020),
                      Options(waits={"p-q": 15.0}))
    assert out.solution.slack.sum() == pytest.approx(400_000 - FERRY_T)
    # path a→q: rail 1500 km × 0.05 + ferry 20 = 95 USD/t; hours 20 + 10 + 10 + 20 + (20 +
    # 20 + 15) = 115 h × 1 USD/t/h → 210 USD/t. Dropping a tonne costs the penalty 1000 USD/t,
    # so one more tonne of ferry capacity is worth 1000 − 210 = 790 USD/t.
    i = [r.key for r in out.resources].index(ResourceKey("service", "p-q"))
    assert out.solution.dual[i] / FERRY_T == pytest.approx(790)


def _two_port_network(raw: dict[str, Any], demand_t: float) -> None:
    """A second port p2 beside p with its own one-vessel ferry, and a rail capacity on b→p."""
    raw["cargo"][0]["per"]["train"] = fig(1000, "t/train")
    item(raw, "links", "b-p")["capacity"] = fig(1, "trains/day")  # 365,000 t/yr
    add_second_port(raw)
    raw["corridors"][0]["via"] = ["q"]
    # dropping cargo must cost more than the longest queue, so that the hard capacity governs
    raw["parameters"]["unserved_penalty"] = fig(1e6, "USD/t")
    captive(raw, demand_t)


def _cut() -> float:
    g = nx.DiGraph()
    g.add_edge("a", "b", capacity=float("inf"))
    g.add_edge("b", "p", capacity=365_000.0)
    g.add_edge("b", "p2", capacity=float("inf"))
    g.add_edge("p", "q", capacity=FERRY_T)
    g.add_edge("p2", "q", capacity=FERRY_T / 2)
    return float(nx.maximum_flow_value(g, "a", "q"))


@pytest.mark.parametrize("factor", [0.5, 0.95, 1.05, 1.6])
def test_unserved_appears_exactly_when_demand_exceeds_the_cut(vary, factor: float) -> None:  # type: ignore[no-untyped-def]
    cut = _cut()  # min(365,000, 292,000) + 146,000 = 438,000 t/yr
    sc = vary(lambda raw: _two_port_network(raw, factor * cut))
    res = assess(sc, [2020])
    unserved = float(res.demand.unserved_t.sum())
    assert unserved == pytest.approx(max(0.0, (factor - 1) * cut), abs=1.0)
    if factor > 1:
        assert res.utilisation.binding.any()
    if factor * cut < FERRY_T:  # the cheaper ferry alone has room: nothing binds
        assert not res.utilisation.binding.any()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(min_value=0, max_value=2e6), min_size=2, max_size=2))
def test_no_capacity_is_ever_exceeded(vary, volumes: list[float]) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        _two_port_network(raw, volumes[0])
        raw["demand"].append({"id": "boxes", "origin": "a", "destination": "z",
                              "cargo": "container", "kind": "contestable",
                              "volume": [{"year": 2020, **fig(volumes[1], "t/yr")}]})
    res = assess(vary(change), [2020])
    flows = res.flows.groupby(["element", "direction"]).tonnes.sum()
    limits = {("b-p", "forward"): 365_000.0, ("p-q", "forward"): FERRY_T,
              ("p2-q", "forward"): FERRY_T / 2}
    for key, limit in limits.items():
        assert flows.get(key, 0.0) <= limit * (1 + 1e-7)
    total = res.demand.demand_t.sum()
    d = res.demand
    accounted = (d.focus_group_t + d.other_corridors_t + d.unserved_t).sum()
    assert accounted == pytest.approx(total, rel=1e-6, abs=1.0)  # LP tolerance ~0.1 t


def test_logit_shares_sum_to_one_and_move_the_right_way() -> None:
    costs = np.array([300.0, 350.0, 500.0])
    s = logit_shares(costs, 0.01)
    assert s.sum() == pytest.approx(1)
    # closed form for the first share: 1 / (1 + e^{-0.5} + e^{-2})
    assert s[0] == pytest.approx(1 / (1 + np.exp(-0.5) + np.exp(-2)))
    dearer = logit_shares(costs + np.array([0, 40, 0]), 0.01)
    assert dearer[1] < s[1] and dearer[0] > s[0] and dearer[2] > s[2]
    assert logit_shares(np.array([1.0, np.inf]), 1.0) == pytest.approx([1, 0])


def test_congestion_equilibrium_is_consistent(vary) -> None:  # type: ignore[no-untyped-def]
    """With a steep logit the middle corridor fills until its congested cost makes the split
    self-consistent: the share that chooses the middle (carried there, or pushed off by the
    LP where one more tonne would wait longer than the shippers' margin 1/θ) equals the logit
    share at the reported costs."""
    def change(raw: dict[str, Any]) -> None:
        item(raw, "demand", "a-z-box")["volume"][0] = {"year": 2020, **fig(100_000, "TEU/yr")}
        raw["parameters"]["logit_scale"] = fig(0.05, "1/USD")
    res = assess(vary(change), [2020])
    c = res.corridors.set_index("corridor").generalized_usd_per_t
    expected = 1 / (1 + np.exp(-0.05 * (c["northern"] - c["middle"])))
    d = res.demand.iloc[0]
    chose = res.totals.focus_share.iloc[0] + d.diverted_t / d.demand_t
    assert chose == pytest.approx(expected, abs=0.01)
    assert res.totals.gap.iloc[0] < 1e-3


def test_contestable_split_follows_the_logit(tiny: Scenario) -> None:
    res = assess(tiny, [2020])
    shares = res.shares.set_index("corridor").share
    # generalized costs 350 (middle) and 430 (northern) at θ = 0.001 — the ferry is nearly
    # empty, so the congested wait adds almost nothing (checked below).
    expected = 1 / (1 + np.exp(-0.001 * (430 - 350)))
    assert shares["middle"] == pytest.approx(expected, abs=2e-3)
    assert shares.sum() == pytest.approx(1)


def test_diverted_when_the_middle_is_full(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        item(raw, "demand", "a-z-box")["volume"][0] = {"year": 2020, **fig(100_000, "TEU/yr")}
        # shippers barely mind cost (flat logit): more want the ferry than it can take
        raw["parameters"]["logit_scale"] = fig(0.001, "1/USD")
    res = assess(vary(change), [2020])
    d = res.demand.iloc[0]
    assert d.focus_group_t == pytest.approx(FERRY_T, rel=1e-6)
    assert d.diverted_t > 0
    assert d.unserved_t == pytest.approx(0)
    assert res.totals.bottleneck.iloc[0] != ""


def test_fixed_waits_replace_the_queueing_approximation(tiny: Scenario) -> None:
    # A simulated wait of 200 h at the ferry instead of the 15 h zero-flow wait adds
    # 185 h × 1 USD/t/h to the middle path: 350 → 535 USD/t against 430 for the northern.
    res = assess(tiny, [2020], waits={2020: {"p-q": 200.0}})
    c = res.corridors.set_index("corridor").generalized_usd_per_t
    assert c["middle"] == pytest.approx(MIDDLE_GC + 185)
    share = res.shares.set_index("corridor").share["middle"]
    assert share == pytest.approx(1 / (1 + np.exp(-0.001 * (430 - 535))), abs=1e-3)


MIDDLE_GC = 350.0  # the tiny network's middle path, worked out in test_routing.py


def test_a_fleet_of_no_vessels_closes_its_service(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        item(raw, "fleets", "ferries")["vessels"] = fig(0, "vessels")
        raw["projects"] = []
    res = assess(vary(change), [2020])
    assert set(res.shares.corridor) == {"northern"}
    assert res.shares.share.iloc[0] == pytest.approx(1)
