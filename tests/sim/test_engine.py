"""The engine end to end: conservation, seeds, common random numbers, trains, weather."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from titr.model.scenario import Scenario
from titr.sim import (
    Closures,
    Dwell,
    Haul,
    Plan,
    Route,
    Sea,
    Server,
    Window,
    build_plan,
    run_replication,
    simulate_plan,
    simulate_routes,
)
from titr.sim.from_paths import route_from_path
from titr.sim.results import KPI_METRICS

PATH = ["a", "b", "p", "q", "z"]
Vary = Callable[[Callable[[dict[str, Any]], None]], Scenario]


def fig(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": "HAND"}


def find(raw: dict[str, Any], coll: str, item_id: str) -> dict[str, Any]:
    return next(it for it in raw[coll] if it["id"] == item_id)


def busy_corridor(raw: dict[str, Any]) -> None:
    """Tiny, with a border at b (2 servers), a storm area on the sea and faster ferries."""
    find(raw, "nodes", "b")["border"] = {"time": fig(4, "h"), "time_cv": fig(0.5, "1"),
                                         "servers": fig(2, "1")}
    raw["weather"] = [{"id": "caspian", "storms": {"events_per_year": fig(20, "1/yr"),
                                                   "mean_duration": fig(30, "h")}}]
    find(raw, "sea_services", "p-q")["weather"] = "caspian"
    find(raw, "sea_services", "p-q")["min_load"] = fig(0.5, "1")
    find(raw, "nodes", "p")["berths"] = fig(1, "1")


def test_route_from_path_on_tiny(tiny: Scenario) -> None:
    net = tiny.network(2022)
    route = route_from_path(net, PATH, 1000, cargo="container")
    kinds = [type(s).__name__ for s in route.stages]
    assert kinds == ["Haul", "Dwell", "Haul", "Dwell", "Sea", "Haul"]
    assert route.corridor == "middle" and route.unit == "TEU" and route.batch == 1
    assert route.distance_km == 1000 + 500 + 360 + 2000
    back = route_from_path(net, list(reversed(PATH)), 10, cargo="container")
    assert next(s for s in back.stages if isinstance(s, Sea)).reverse
    explicit = route_from_path(net, ["a", "a-b", "b", "b-z", "z"], 10, cargo="container")
    assert explicit.corridor == "northern"
    plan = build_plan(net, [route])
    assert plan.shares[(0, 4)] == (0.5,)  # a TEU (10 t) is half a wagon (20 t)
    assert plan.lines["p-q"].fleets[0].capacity == 50


@pytest.mark.parametrize("path, message", [
    (["a", "nowhere"], "unknown id"), (["a", "z"], "no link or sea service"),
    (["a", "q-z", "z"], "does not join"), (["a"], "at least two nodes")])
def test_bad_paths_say_what_is_wrong(tiny: Scenario, path: list[str], message: str) -> None:
    with pytest.raises(Exception, match=message):
        route_from_path(tiny.network(2022), path, 10, cargo="container")


def test_conservation_at_the_end_of_the_year(vary: Vary) -> None:
    net = vary(busy_corridor).network(2022)
    routes = [route_from_path(net, PATH, 20_000, cargo="container", id="east-west"),
              route_from_path(net, ["z", "q", "p", "b", "a"], 4_000, cargo="container",
                              id="west-east"),
              route_from_path(net, ["a", "b", "z"], 50_000, cargo="container", batch=10,
                              id="by-train")]
    plan = build_plan(net, routes)
    window = Window(warmup_h=30 * 24, drain_h=60 * 24)
    for rep in range(3):
        raw = run_replication(plan, window, 7, rep)
        T = window.end
        for run in raw.runs:
            enter, exit_, _, count = run.rows()
            entered = count[enter <= T].sum()
            left = count[exit_ <= T].sum()
            inside = count[(enter <= T) & (exit_ > T)].sum()  # counted independently
            assert entered == left + run.in_queue + run.in_transit
            assert run.in_queue + run.in_transit == inside
            assert run.in_transit > 0
            assert np.all(exit_ >= enter)
        assert raw.runs[0].in_queue > 0 and raw.runs[2].in_queue > 0
        assert not raw.runs[2].unit_mode and raw.runs[0].unit_mode
    res = simulate_plan(plan, 2, 7, window)
    assert res.conservation["balanced"].all()
    assert set(res.conservation.columns) >= {"entered", "left", "in_queue", "in_transit"}


def test_same_seed_same_result_other_seed_differs(tiny: Scenario) -> None:
    net = tiny.network(2022)
    routes = [route_from_path(net, PATH, 3000, cargo="container")]
    a = simulate_routes(net, routes, replications=2, seed=3)
    b = simulate_routes(net, routes, replications=2, seed=3)
    c = simulate_routes(net, routes, replications=2, seed=4)
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_frame_equal(a.kpis, b.kpis)
    pd.testing.assert_frame_equal(a.sailings, b.sailings)
    assert not a.units["total_h"].equals(c.units["total_h"])
    # replications differ from each other too
    r0 = a.units[a.units.replication == 0]["total_h"].to_numpy()
    r1 = a.units[a.units.replication == 1]["total_h"].to_numpy()
    assert r0.size != r1.size or not np.array_equal(r0, r1)


def test_common_random_numbers(vary: Vary) -> None:
    net = vary(busy_corridor).network(2022)
    route = route_from_path(net, PATH, 8000, cargo="container")
    slow = build_plan(net, [route])
    border = route.stages[1]
    assert isinstance(border, Server)
    more = Route(route.id, (route.stages[0], Server(border.node, "border", border.mean_h,
                                                    border.cv, 6, direction=border.direction),
                            *route.stages[2:]), route.units_per_year, route.cargo,
                 route.corridor, route.unit, route.unit_size, route.batch)
    fast = build_plan(net, [more])
    w = Window()
    a, b = run_replication(slow, w, 1, 0), run_replication(fast, w, 1, 0)
    ra, rb = a.runs[0].rows(), b.runs[0].rows()
    assert np.array_equal(ra[0], rb[0])  # same arrivals
    assert np.array_equal(a.closures["caspian"].starts, b.closures["caspian"].starts)
    assert rb[2]["border"].mean() < ra[2]["border"].mean()


def test_md1_border_through_the_engine() -> None:
    # Poisson trains (1 an hour) through one deterministic server of 0.7 h: M/D/1,
    # Pollaczek–Khinchine Wq = rho d / (2 (1 - rho)).
    d, rho = 0.7, 0.7
    expected = rho * d / (2 * (1 - rho))
    route = Route("r", (Server("x", "border", d, 0.0, 1),), units_per_year=8760.0)
    res = simulate_plan(Plan((route,)), replications=12, seed=5, window=Window(drain_h=0.0))
    waits = res.resources["mean_wait_h"].to_numpy()
    se = waits.std(ddof=1) / np.sqrt(waits.size)
    assert abs(waits.mean() - expected) < 3.5 * se + 0.01 * expected
    row = res.resources.iloc[0]
    assert row["servers"] == 1 and 0.65 < row["utilisation"] < 0.75
    assert abs(row["mean_time_h"] - row["mean_wait_h"] - d) < 1e-9


def test_trains_move_together_and_clear_borders_as_one(tiny: Scenario) -> None:
    route = Route("r", (Haul("l", 500.0, 50.0, 0.2), Server("x", "border", 2.0, 0.5, 1),
                        Dwell("y", 5.0, 0.5)), units_per_year=50 * 365.0, batch=50)
    raw = run_replication(Plan((route,)), Window(), 9, 0)
    run = raw.runs[0]
    assert not run.unit_mode
    enter, _, _, count = run.rows()
    assert set(count.tolist()) == {50} and run.units == 50 * enter.size
    customers = raw.stations[0]["customers"]
    assert 300 < customers < 430  # ~365 trains, not ~18,000 wagons
    # a train reaching a port: its units join the port queue together
    net = tiny.network(2022)
    train = route_from_path(net, PATH, 9000, cargo="container", batch=30)
    raw = run_replication(build_plan(net, [train]), Window(), 9, 0)
    port = raw.sea[0][1]
    assert raw.runs[0].unit_mode
    arrivals_at_port = raw.runs[0].rows()[0]
    assert arrivals_at_port is not None and arrivals_at_port.size % 30 == 0
    assert np.all(arrivals_at_port.reshape(-1, 30) == arrivals_at_port.reshape(-1, 30)[:, :1])
    assert port.sailings["units"].max() == 100  # 100 TEU = 50 wagons a sailing


def test_seasonality_thins_arrivals() -> None:
    season = (1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    route = Route("r", (Dwell("y", 1.0),), units_per_year=20_000, seasonality=season)
    w = Window()
    enter = run_replication(Plan((route,)), w, 1, 0).runs[0].rows()[0]
    day = (enter - w.start) / 24.0
    assert not np.any((day >= 59) & (day < 181))  # March to June: none
    assert np.any((day >= 0) & (day < 59))


def test_weather_stops_departures(vary: Vary) -> None:
    def icy(raw: dict[str, Any]) -> None:
        busy_corridor(raw)
        raw["weather"].append({"id": "north", "ice": {"start": "01-10", "end": "02-20",
                                                      "assumption": "test"}})
        find(raw, "nodes", "p")["weather"] = "north"

    net = vary(icy).network(2022)
    route = route_from_path(net, PATH, 20_000, cargo="container")
    plan = build_plan(net, [route])
    assert plan.lines["p-q"].weather == ("caspian", "north")
    w = Window()
    raw = run_replication(plan, w, 2, 0)
    closed = raw.closures["caspian"].union(raw.closures["north"])
    dep = raw.sea[0][1].sailings["depart"]
    assert not any(closed.is_closed(float(t)) for t in dep)
    ice = ((dep - w.start) / 24 >= 9) & ((dep - w.start) / 24 < 51)
    assert not ice.any()
    assert np.any(raw.sea[0][1].sailings["depart"] > raw.sea[0][1].sailings["loaded"])


def test_result_tables_have_their_columns(vary: Vary) -> None:
    net = vary(busy_corridor).network(2022)
    res = simulate_routes(net, [route_from_path(net, PATH, 5000, cargo="container")],
                          replications=3)
    assert {"total_h", "vessel_wait_h", "border_h", "transship_h", "moving_h", "done",
            "enter_day", "route", "corridor", "cargo"} <= set(res.units.columns)
    parts = res.units[["vessel_wait_h", "border_h", "transship_h", "moving_h"]].sum(axis=1)
    np.testing.assert_allclose(parts, res.units["total_h"], rtol=1e-9)
    assert set(res.kpis["metric"]) == set(KPI_METRICS)
    med = res.kpi("median_days")
    assert (med["ci_low"] <= med["mean"]).all() and (med["mean"] <= med["ci_high"]).all()
    assert {"border_hours", "swd_kmh", "swod_kmh"} <= set(res.cpmm["indicator"])
    swd = res.cpmm[res.cpmm.indicator == "swd_kmh"]["mean"].iloc[0]
    swod = res.cpmm[res.cpmm.indicator == "swod_kmh"]["mean"].iloc[0]
    assert 0 < swd < swod <= 50 * 1.2
    assert set(res.resources["kind"]) == {"border", "port", "berths"}
    berths = res.resources[res.resources.kind == "berths"]
    assert ((berths["utilisation"] > 0) & (berths["utilisation"] < 1)).all()
    assert res.queues.groupby(["replication", "resource"]).size().eq(365).all()
    assert (res.vessels["rotations"] > 0).all()
    assert set(res.port_waits["metric"]) == {"mean_days", "p90_days"}
    assert "median_days" in res.summary()


def test_fixed_inputs_replace_draws() -> None:
    route = Route("r", (Server("x", "border", 1.0, 0.0, 1),), units_per_year=10.0)
    fixed = {("arrivals", "r"): np.array([1.0, 1.5, 10.0]),
             ("stage", "r", 0): np.array([2.0, 2.0, 2.0])}
    raw = run_replication(Plan((route,)), Window(warmup_h=0, drain_h=0), 0, 0, fixed)
    assert raw.runs[0].rows()[1].tolist() == [3.0, 5.0, 12.0]
    assert isinstance(Closures(), Closures)
