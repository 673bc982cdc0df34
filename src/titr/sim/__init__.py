"""Layer 5 — operational simulation of one year: trains, trucks, borders, ports, vessels, storms.

A hybrid engine: vessels are events in a small heapq loop; units move as numpy arrays through
FIFO queue recursions (Lindley, Kiefer–Wolfowitz). See :func:`simulate_routes`. A pure engine:
it runs given routes on a network; the studies that take the routes from an assignment live in
:mod:`titr.studies`.

>>> import titr.model, titr.sim
>>> net = titr.model.load("tests/fixtures/tiny.toml").network(2022)   # doctest: +SKIP
>>> route = titr.sim.route_from_path(net, ["a", "b", "p", "q", "z"], 5000,
...                                  cargo="container")                 # doctest: +SKIP
>>> res = titr.sim.simulate_routes(net, [route], replications=5)       # doctest: +SKIP
>>> res.kpi("median_days")                                              # doctest: +SKIP
"""

from titr.sim.build import build_plan
from titr.sim.calendar import Closures, IceSpec, StormSpec, WeatherSpec
from titr.sim.engine import run_replication
from titr.sim.from_paths import path_ids, route_from_path, routes_from_demand, routes_from_flows
from titr.sim.plan import FleetSpec, Plan, SeaLine
from titr.sim.queues import kiefer_wolfowitz, lindley
from titr.sim.results import SimResult, t_interval
from titr.sim.run import port_wait_days, simulate_plan, simulate_routes
from titr.sim.stages import Dwell, Haul, Route, Sea, Server, Stage
from titr.sim.stats import Window

__all__ = [
    "Closures", "Dwell", "FleetSpec", "Haul", "IceSpec", "Plan", "Route", "Sea", "SeaLine",
    "Server", "SimResult", "Stage", "StormSpec", "WeatherSpec", "Window", "build_plan",
    "kiefer_wolfowitz", "lindley", "path_ids", "port_wait_days", "route_from_path",
    "routes_from_demand", "routes_from_flows", "run_replication", "simulate_plan",
    "simulate_routes", "t_interval",
]
