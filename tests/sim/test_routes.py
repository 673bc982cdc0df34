"""Routes from demand and paths; oil parcels by tanker then pipeline; opening hours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from titr.model.demand import demand_rows
from titr.model.scenario import Scenario
from titr.sim import (
    Plan,
    Route,
    Server,
    Window,
    build_plan,
    port_wait_days,
    route_from_path,
    routes_from_demand,
    run_replication,
    simulate_routes,
)
from titr.sim.calendar import opening_hours

Vary = Callable[[Callable[[dict[str, Any]], None]], Scenario]


def fig(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": "HAND"}


def test_routes_from_demand(tiny: Scenario) -> None:
    net = tiny.network(2024)  # three ferries from 2023
    rows = demand_rows(tiny.demand, net.cargo, 2024)
    routes = routes_from_demand(net, rows, {"a-z-box": ["a", "b", "p", "q", "z"]})
    assert len(routes) == 1
    r = routes[0]
    assert r.id == "a-z-box" and r.unit == "TEU" and r.corridor == "middle"
    assert abs(r.units_per_year - 1000.0) < 1e-9
    assert len(build_plan(net, routes).lines["p-q"].fleets) == 1
    assert build_plan(net, routes).lines["p-q"].fleets[0].vessels == 3
    assert routes_from_demand(net, rows, {}) == []


def oil(raw: dict[str, Any]) -> None:
    """Tiny plus crude oil: a tanker line p→q and a pipeline q→c taking a fixed 100 h."""
    raw["cargo"].append({"id": "crude", "value_of_time": fig(0.1, "USD/t/h")})
    raw["nodes"].append({"id": "c", "country": "TR", "lat": 37, "lon": 35,
                         "kind": "oil-terminal"})
    raw["links"].append({"id": "btc", "from": "q", "to": "c", "mode": "pipeline",
                         "distance": fig(1768, "km"), "time": fig(100, "h"),
                         "cargo": ["crude"], "bidirectional": False})
    raw["sea_services"].append({"id": "tanker", "from": "p", "to": "q", "kind": "tanker",
                                "distance": fig(360, "km"), "cargo": ["crude"],
                                "bidirectional": False})
    raw["fleets"].append({"id": "tankers", "service": "tanker", "vessels": fig(2, "vessels"),
                          "capacity": fig(12, "kt"), "speed": fig(20, "km/h"),
                          "port_time": fig(24, "h")})


def test_oil_parcels_ride_tankers_then_the_pipeline(vary: Vary) -> None:
    net = vary(oil).network(2022)
    route = route_from_path(net, ["p", "tanker", "q", "btc", "c"], 3000, cargo="crude")
    assert route.unit == "t" and route.unit_size == 1000.0  # 1,000 t parcels
    assert [type(s).__name__ for s in route.stages] == ["Sea", "Haul"]
    plan = build_plan(net, [route])
    assert plan.shares[(0, 0)] == (1000.0,) and plan.lines["tanker"].fleets[0].capacity == 12000
    raw = run_replication(plan, Window(), 3, 0)
    sailings = raw.sea[0][1].sailings
    assert sailings["units"].max() == 12  # 12 parcels fill a 12 kt tanker
    enter, exit_, parts, _ = raw.runs[0].rows()
    done = np.isfinite(exit_)
    sail_h = 360 / 20
    np.testing.assert_allclose(parts["moving"][done], sail_h + 100.0)
    np.testing.assert_allclose(
        sum(parts[p][done] for p in parts), exit_[done] - enter[done], rtol=1e-9)


def test_opening_hours_at_a_border() -> None:
    route = Route("r", (Server("x", "border", 0.5, 0.0, 2, open_hours=(8.0, 18.0)),),
                  units_per_year=5000.0)
    w = Window(warmup_h=24.0)
    service = np.full(10_000, 0.5)
    raw = run_replication(Plan((route,)), w, 1, 0, {("stage", "r", 0): service})
    enter, exit_, _, _ = raw.runs[0].rows()
    start = exit_ - 0.5
    closed = opening_hours(8.0, 18.0, w.start, w.stop)
    assert not any(closed.is_closed(float(s)) for s in start)  # never starts while closed
    assert np.all(start >= enter - 1e-9)
    hour = np.mod(enter - w.start, 24.0)
    night = (hour >= 18.0) | (hour < 8.0)
    opens = closed.next_open_array(enter[night])
    assert np.all(start[night] >= opens - 1e-9)  # night arrivals wait for 08:00
    assert np.any(np.isclose(np.mod(start[night] - w.start, 24.0), 8.0))
    assert np.all(exit_[~night] - enter[~night] >= 0.5 - 1e-9)


def test_port_waits_feed_the_assignment(tiny: Scenario) -> None:
    net = tiny.network(2022)
    routes = [route_from_path(net, ["a", "b", "p", "q", "z"], 4000, cargo="container"),
              route_from_path(net, ["z", "q", "p", "b", "a"], 1500, cargo="container",
                              id="back")]
    waits = port_wait_days(net, routes, replications=2)
    assert set(waits["direction"]) == {"forward", "reverse"}
    res = simulate_routes(net, routes, replications=2, keep_units=False)
    assert res.units.empty and len(res.kpis)
    hours = res.vessel_wait_hours()
    assert set(hours) == {"p-q", "p-q>"} and all(h > 0 for h in hours.values())


def test_plans_refuse_what_cannot_run() -> None:
    from titr.sim import FleetSpec, Sea, SeaLine

    line = SeaLine("l", "p", "q", 100.0, (FleetSpec("f", 1, 10.0, 5.0, 0.0, 0.0),),
                   bidirectional=False)
    b1 = Server("x", "border", 1.0, 0.5, 2)
    b2 = Server("y", "border", 1.0, 0.5, 2)
    with pytest.raises(ValueError, match="in a circle"):
        Plan((Route("r1", (b1, b2), 10.0), Route("r2", (b2, b1), 10.0))).resources()
    with pytest.raises(ValueError, match="does not fit"):
        Plan((Route("r", (Sea("l"),), 10.0),), {"l": line}, shares={(0, 0): (11.0,)})
    with pytest.raises(ValueError, match="no sea service"):
        Plan((Route("r", (Sea("m"),), 10.0),), {"l": line}, shares={(0, 0): (1.0,)})
    with pytest.raises(ValueError, match="runs one way"):
        Plan((Route("r", (Sea("l", reverse=True),), 10.0),), {"l": line},
             shares={(0, 0): (1.0,)})
    with pytest.raises(ValueError, match="described two ways"):
        Plan((Route("r1", (b1,), 10.0), Route("r2", (Server("x", "border", 2.0),), 10.0)))
    with pytest.raises(ValueError, match="twice"):
        Plan((Route("r", (b1, b2, b1), 10.0),)).resources()
    with pytest.raises(ValueError, match="seasonality"):
        Route("r", (b1,), 10.0, seasonality=(1.0,) * 11)
