"""SimPy twin of the built-in scenario's year: trains, borders, gauge changes and sea crossings.

Written from the model's description, not from titr's engine: every train is a SimPy process
that runs its legs and dwells as timeouts and takes a server at each border or gauge change (a
``simpy.Resource`` per station, shared by all the routes that pass it, FIFO; no limit when the
station has none; opening hours keep the server until the station opens). At a sea crossing its
units join the port's queue (FIFO; units arriving at the same moment in route and unit order).
Every vessel is a process too: at each port it requests a berth (a ``simpy.PriorityResource``
per port with limited berths, shared by every line calling there: first come, first served,
vessels coming at the same moment in the order of their index), unloads, joins the port's load
line (likewise), waits for its load at its home port (``when-full``: until the queue holds
``min_load`` of its capacity; once no unit can come any more — after the year, when every unit
bound for the port has reached it — with what is there), takes what has arrived up to its
capacity, loads, keeps the berth while the weather is closed, and sails. The units one sailing
brings of one route go on together as one group.

It draws nothing itself: it reads titr's own random inputs (``titr.sim.draws.Draws`` with the
same seed): a value per train and stage, and after a crossing per sailing that carried the
route's units (in the order of those sailings), as titr's engine keys them; so the two can be
compared unit by unit.

Over a full year the two differ on up to ~1,000 of ~12 million units (53 when this was first
measured; 950 units on 7 routes with the 2030 flows of December 2026), all after one near-tie
at a shared berth, which floating-point rounding decides differently. Replication 0, seed 7:
two ferries of turkmenbashi-alat-ferry (vessels 31 and 33) take their loads at Turkmenbashi
0.0238 h apart and, in exact arithmetic, finish loading at the same instant and reach Alat
together at t = 9019.302 h, with one berth free. The engine computes a load as a difference of
cumulative sums of the units' needs (vessel 33: 27.919999999983702 for 27.92) and an instant
as ``t + duration``; so vessel 33 finishes 7e-12 h before vessel 31, arrives first (at
9019.302072022288 against 9019.302072022296) and gets the berth. The twin sums a load piece
by piece and waits for an instant ``x`` as SimPy's ``now + (x - now)``; there vessel 31 gets
the berth. The other waits 2.74 h, their loads at Alat swap, and the difference spreads to the
later sailings of the Alat lines and the units on them (from t = 9019 h: the last 19 days of
the year and the drain). Nothing else differs before that instant. Making them identical needs
the twin to compute loads and instants with the engine's very operations (cumulative needs in
queue order, instants scheduled absolutely, not as delays), or the engine to treat instants
within a tolerance as ties; neither is done here.

    python benchmarks/simpy_year.py [year]   # times the twin on the built-in scenario's year
"""

from __future__ import annotations

import bisect
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from titr.sim.calendar import Closures, opening_hours
from titr.sim.draws import Draws
from titr.sim.plan import FleetSpec, Plan, SeaLine
from titr.sim.rng import Streams
from titr.sim.stages import Dwell, Haul, Sea, Server
from titr.sim.stats import Window

EPS = 1e-9
Process = Generator[simpy.Event, Any, None]


@dataclass
class PortSide:
    """Units waiting to board one line in one direction: pieces (arrival time, route, first
    unit, count), oldest first; how many units are still on their way here."""

    queue: list[tuple[float, int, int, int]] = field(default_factory=list)
    coming: int = 0
    arrived: simpy.Event | None = None
    line: simpy.PriorityResource | None = None


class Twin:
    def __init__(self, plan: Plan, window: Window, seed: int, replication: int) -> None:
        if any(isinstance(s, Server) and s.per == "unit" for r in plan.routes for s in r.stages):
            raise ValueError("the twin moves trains and sailings' groups, not single units")
        if any(line.departure != "when-full" for line in plan.lines.values()):
            raise ValueError("the twin runs when-full departures only")
        self.plan, self.window = plan, window
        self.draws = Draws(Streams(seed, replication), window, None)
        self.env = simpy.Environment()
        self.stations: dict[str, simpy.Resource] = {}
        self.hours: dict[str, Closures] = {}
        self.values: dict[tuple[int, int], np.ndarray] = {}
        self.exits: list[np.ndarray] = []
        self.sides: dict[tuple[str, bool], PortSide] = {}
        self.berths: dict[str, simpy.PriorityResource] = {}
        self.closures: dict[str, Closures] = {}
        self.groups: dict[tuple[int, int], int] = {}  # (route, sea stage) → groups so far
        self.boarding: dict[tuple[str, bool], int] = {}  # units that ever board a line there

    # ---- trains and groups ------------------------------------------------------------
    def value(self, i: int, j: int, g: int) -> float:
        key = (i, j)
        values = self.values.get(key)
        if values is None or g >= values.size:
            route = self.plan.routes[i]
            size = max(2 * g + 16, 0 if values is None else 2 * values.size)
            values = self.values[key] = self.draws.stage(route, j, route.stages[j], size)
        return float(values[g])

    def group(self, i: int, j0: int, g: int, pieces: list[tuple[int, int]]) -> Process:
        """Units of route ``i`` moving together (a train, or one sailing's units) from stage
        ``j0``; draws keyed ``g``."""
        env = self.env
        route = self.plan.routes[i]
        for j in range(j0, len(route.stages)):
            stage = route.stages[j]
            if isinstance(stage, (Haul, Dwell)):
                yield env.timeout(self.value(i, j, g))
            elif isinstance(stage, Server):
                v = self.value(i, j, g)
                opens = self.hours.get(stage.key)
                if stage.servers is None:
                    if opens is not None:
                        yield env.timeout(opens.next_open(env.now) - env.now)
                    yield env.timeout(v)
                    continue
                with self.stations[stage.key].request() as req:
                    yield req
                    if opens is not None:
                        yield env.timeout(opens.next_open(env.now) - env.now)
                    yield env.timeout(v)
            else:
                assert isinstance(stage, Sea)
                side = self.sides[(stage.service, stage.reverse)]
                for first, count in pieces:
                    bisect.insort(side.queue, (env.now, i, first, count))
                    side.coming -= count
                self.notify(side)
                return
        for first, count in pieces:
            self.exits[i][first: first + count] = env.now

    def train(self, i: int, k: int, enter: float) -> Process:
        yield self.env.timeout(enter)
        b = self.plan.routes[i].batch
        yield from self.group(i, 0, k, [(k * b, b)])

    # ---- ports and vessels ------------------------------------------------------------
    def notify(self, side: PortSide) -> None:
        if side.arrived is not None and not side.arrived.triggered:
            side.arrived.succeed()

    def need(self, i: int, j_of: dict[int, int], fleet: int) -> float:
        return self.plan.shares[(i, j_of[i])][fleet]

    def waiting_need(self, side: PortSide, j_of: dict[int, int], fleet: int) -> float:
        return sum(c * self.need(i, j_of, fleet) for _, i, _, c in side.queue)

    def vessel(self, line: SeaLine, fi: int, fleet: FleetSpec, index: int) -> Process:
        env = self.env
        reverse = line.home_reverse
        home = reverse
        opens = self.closures[line.id]
        j_of = {d: {i: j for i, r in enumerate(self.plan.routes) for j, s in enumerate(r.stages)
                    if isinstance(s, Sea) and s.service == line.id and s.reverse == d}
                for d in (False, True)}
        aboard: list[tuple[int, int, int, int, int]] = []  # route, stage, group, first, count
        amount = 0.0
        stop = self.window.stop  # vessels do nothing after the run stops
        while True:
            port = line.port(reverse)
            pool = self.berths.get(port)
            boards = self.boarding[(line.id, reverse)]
            # a call where nobody boards and berths are free is settled when the vessel sails
            # there, so it unloads even if it arrives after the stop
            passive = reverse != home and not boards and pool is None
            if env.now > stop and not passive:
                return
            # berths and load lines: first come, first served; vessels coming at the same
            # moment in the order of their index (lines by id, fleets, vessels)
            berth = pool.request(priority=(env.now, index)) if pool is not None else None
            if berth is not None:
                yield berth
            if aboard and amount > 0:
                yield env.timeout(fleet.handling_fixed_h + fleet.handling_per_unit_h * amount)
                if env.now > stop and not passive:
                    return
            self.unload(aboard)
            aboard, amount = [], 0.0
            side = self.sides[(line.id, reverse)]
            if reverse != home and not boards:  # nobody ever boards here: sail back
                yield env.timeout(opens.next_open(env.now) - env.now)
            else:
                assert side.line is not None
                with side.line.request(priority=(env.now, index)) as turn:
                    yield turn
                    if reverse == home:
                        go = yield from self.wait_for_load(line, fi, fleet, side, j_of[reverse],
                                                           self.sides[(line.id, not reverse)])
                        if not go:  # no unit will ever come (or the run stopped): stay
                            return
                    aboard, amount = self.take(side, j_of[reverse], fi, fleet.capacity)
                    aboard = self.number(aboard, j_of[reverse])
                done = env.now + (fleet.handling_fixed_h + fleet.handling_per_unit_h * amount
                                  if amount > 0 else 0.0)
                yield env.timeout(opens.next_open(done) - env.now)
            if env.now > stop:
                return
            if berth is not None:
                assert pool is not None
                pool.release(berth)
            yield env.timeout(fleet.sail_h)
            reverse = not reverse

    def wait_for_load(self, line: SeaLine, fi: int, fleet: FleetSpec, side: PortSide,
                      j_of: dict[int, int], away: PortSide) -> Generator[simpy.Event, Any, bool]:
        """Wait at the home port until the departure rule lets the vessel take its load."""
        env = self.env
        need = line.min_load * fleet.capacity
        flush = self.window.end
        while True:
            if env.now > self.window.stop:
                return False
            if self.waiting_need(side, j_of, fi) >= need - EPS and side.queue:
                return True
            if side.coming == 0 and env.now >= flush:
                # all that will come is here (or fetch those waiting over there)
                return bool(side.queue or away.queue or away.coming)
            side.arrived = env.event()
            events = [side.arrived]
            if env.now < flush:
                events.append(env.timeout(flush - env.now))
            yield env.any_of(events)
            yield env.timeout(0)  # let units arriving at this same moment join first

    def take(self, side: PortSide, j_of: dict[int, int], fi: int, capacity: float
             ) -> tuple[list[tuple[int, int, int]], float]:
        now = self.env.now
        taken: list[tuple[int, int, int]] = []
        amount = 0.0
        while side.queue and side.queue[0][0] <= now:
            t, i, first, count = side.queue[0]
            need = self.need(i, j_of, fi)
            fits = min(count, int((capacity + EPS - amount) / need))
            if fits <= 0:
                break
            taken.append((i, first, fits))
            amount += fits * need
            if fits < count:
                side.queue[0] = (t, i, first + fits, count - fits)
                break
            side.queue.pop(0)
        return taken, amount

    def number(self, taken: list[tuple[int, int, int]], j_of: dict[int, int]
               ) -> list[tuple[int, int, int, int, int]]:
        """Each route's units on this sailing form a group; its draws are keyed by the
        sailing's rank among those that took the route's units (titr's engine numbers a
        route's groups after a crossing so)."""
        rank: dict[int, int] = {}
        for i, _, _ in taken:
            if i not in rank:
                key = (i, j_of[i])
                rank[i] = self.groups.get(key, 0)
                self.groups[key] = rank[i] + 1
        return [(i, j_of[i], rank[i], first, count) for i, first, count in taken]

    def unload(self, aboard: list[tuple[int, int, int, int, int]]) -> None:
        """The units of one sailing go on, one group per route."""
        by_route: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for i, j, g, first, count in aboard:
            by_route.setdefault((i, j, g), []).append((first, count))
        for (i, j, g), pieces in by_route.items():
            self.env.process(self.group(i, j + 1, g, sorted(pieces)))

    # ---- the run --------------------------------------------------------------------------
    def run(self) -> list[np.ndarray]:
        env, plan, window = self.env, self.plan, self.window
        for area, spec in plan.weather.items():
            self.closures[area] = self.draws.weather(area, spec)
        for lid, line in plan.lines.items():
            out = Closures()
            for area in line.weather:
                out = out.union(self.closures[area])
            self.closures[lid] = out
            for d in (False, True):
                self.sides[(lid, d)] = PortSide(line=simpy.PriorityResource(env, capacity=1))
        for port, berths in plan.berths.items():
            if berths is not None:
                self.berths[port] = simpy.PriorityResource(env, capacity=berths)
        for i, route in enumerate(plan.routes):
            enter = self.draws.arrivals(route)
            self.exits.append(np.full(enter.size * route.batch, np.inf))
            for stage in route.stages:
                if isinstance(stage, Server):
                    if stage.servers is not None and stage.key not in self.stations:
                        self.stations[stage.key] = simpy.Resource(env, capacity=stage.servers)
                    if stage.open_hours is not None and stage.key not in self.hours:
                        self.hours[stage.key] = opening_hours(*stage.open_hours, window.start,
                                                              window.stop + 8760.0)
                elif isinstance(stage, Sea):
                    self.sides[(stage.service, stage.reverse)].coming += enter.size * route.batch
            for k, t in enumerate(enter.tolist()):
                env.process(self.train(i, k, t))
        self.boarding = {q: side.coming for q, side in self.sides.items()}
        index = 0
        for lid in sorted(plan.lines):
            line = plan.lines[lid]
            for fi, fleet in enumerate(line.fleets):
                for _ in range(fleet.vessels):
                    env.process(self.vessel(line, fi, fleet, index))
                    index += 1
        env.run()
        return self.exits


def simulate_simpy(plan: Plan, window: Window, seed: int, replication: int
                   ) -> list[np.ndarray]:
    """Exit time of every unit (land-only routes: of every train) of every route, in route
    order (inf: not done when the run stopped)."""
    return Twin(plan, window, seed, replication).run()


def main() -> None:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from bench_sim import scenario_plan

    year = int(sys.argv[1]) if len(sys.argv) > 1 else 2030
    plan = scenario_plan(year)[0]
    t0 = time.process_time()
    exits = simulate_simpy(plan, Window(), 7, 0)
    print(f"SimPy twin of {year}: {len(plan.routes)} routes, "
          f"{sum(e.size for e in exits):,} units, {time.process_time() - t0:.2f} s CPU")


if __name__ == "__main__":
    main()
