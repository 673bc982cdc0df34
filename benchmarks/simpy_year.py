"""SimPy twin of the built-in scenario's year, on its land routes.

Every train of every route that stays on land (no sea crossing, no station serving units one by
one) is a SimPy process: it enters at its arrival time, runs each leg and dwell as a timeout,
and takes a server at each border or gauge change (a ``simpy.Resource`` per station, shared by
all the routes that pass it, FIFO; no limit when the station has none; opening hours keep the
server until the station opens). It draws nothing itself: it reads titr's own random inputs
(``titr.sim.draws.Draws`` with the same seed), so the two can be compared train by train. The
sea crossings have their own twin (``simpy_reference.py``, the ferry benchmark model).

    python benchmarks/simpy_year.py [year]   # times the twin on the built-in scenario's year
"""

from __future__ import annotations

import sys
import time
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from titr.sim.calendar import Closures, opening_hours
from titr.sim.draws import Draws
from titr.sim.plan import Plan
from titr.sim.rng import Streams
from titr.sim.stages import Dwell, Haul, Sea, Server
from titr.sim.stats import Window


def land_plan(plan: Plan) -> Plan:
    """The plan's routes that stay on land and move as whole trains."""
    routes = tuple(r for r in plan.routes
                   if not any(isinstance(s, Sea) or (isinstance(s, Server) and s.per == "unit")
                              for s in r.stages))
    return Plan(routes, {}, plan.berths, plan.weather, {})


def simulate_simpy(plan: Plan, window: Window, seed: int, replication: int
                   ) -> list[np.ndarray]:
    """Exit time of every train of every route (in route order; train order as titr's)."""
    draws = Draws(Streams(seed, replication), window, None)
    env = simpy.Environment()
    stations: dict[str, simpy.Resource] = {}
    hours: dict[str, Closures] = {}
    exits: list[np.ndarray] = []

    def train(i: int, k: int, enter: float, values: list[np.ndarray]
              ) -> Generator[simpy.Event, Any, None]:
        route = plan.routes[i]
        yield env.timeout(enter)
        for j, stage in enumerate(route.stages):
            v = float(values[j][k])
            if isinstance(stage, (Haul, Dwell)):
                yield env.timeout(v)
                continue
            assert isinstance(stage, Server)
            opens = hours.get(stage.key)
            if stage.servers is None:
                if opens is not None:
                    yield env.timeout(opens.next_open(env.now) - env.now)
                yield env.timeout(v)
                continue
            with stations[stage.key].request() as req:
                yield req
                if opens is not None:
                    yield env.timeout(opens.next_open(env.now) - env.now)
                yield env.timeout(v)
        exits[i][k] = env.now

    for i, route in enumerate(plan.routes):
        enter = draws.arrivals(route)
        exits.append(np.full(enter.size, np.inf))
        values: list[np.ndarray] = []
        for j, stage in enumerate(route.stages):
            if isinstance(stage, Server):
                if stage.servers is not None and stage.key not in stations:
                    stations[stage.key] = simpy.Resource(env, capacity=stage.servers)
                if stage.open_hours is not None and stage.key not in hours:
                    hours[stage.key] = opening_hours(*stage.open_hours, window.start,
                                                     window.stop + 8760.0)
            values.append(draws.stage(route, j, stage, enter.size))
        for k, t in enumerate(enter.tolist()):
            env.process(train(i, k, t, values))
    env.run()
    return exits


def main() -> None:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from bench_sim import scenario_plan

    year = int(sys.argv[1]) if len(sys.argv) > 1 else 2030
    plan = land_plan(scenario_plan(year)[0])
    t0 = time.process_time()
    exits = simulate_simpy(plan, Window(), 7, 0)
    print(f"SimPy twin of {year}'s land routes: {len(plan.routes)} routes, "
          f"{sum(e.size for e in exits):,} trains, {time.process_time() - t0:.2f} s CPU")


if __name__ == "__main__":
    main()
