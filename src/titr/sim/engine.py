"""One replication: units move as arrays through the stages; shared resources run in order.

Each route's units carry their current time (the moment they reach their next stage), their
group (the train or sailing they move with) and the time spent so far in each part
(:data:`~titr.sim.stages.PARTS`). Legs and dwells are pure delays and run route by route.
Stations and sea services are shared: they run once all the routes that feed them have reached
them (:meth:`~titr.sim.plan.Plan.resources` gives the order), on the merged arrivals of all
their users, and then hand each unit its exit time.

Conservation is counted at the end of the measured year ``T``: each unit is waiting (between
arriving at a stage and starting it), in transit (between starting a stage and leaving it), or
has left; every stage of every unit is checked against ``T``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from titr.sim.calendar import Closures, opening_hours
from titr.sim.draws import Draws
from titr.sim.plan import Plan
from titr.sim.queues import fifo_starts
from titr.sim.rng import Streams
from titr.sim.stages import PARTS, Dwell, Leg, Route, Sea, Server
from titr.sim.stats import Window, daily_counts, station_stats
from titr.sim.vessels import PortQueue, SeaOutcome, run_sea

INF = np.inf


@dataclass
class RouteRun:
    """The units of one route during a replication (mutable, internal)."""

    route: Route
    enter: np.ndarray
    t: np.ndarray
    group: np.ndarray
    n_groups: int
    parts: dict[str, np.ndarray]
    pos: int = 0
    in_queue: int = 0
    in_transit: int = 0


@dataclass
class RawReplication:
    """Raw outcome of one replication, turned into tables by :mod:`titr.sim.results`."""

    index: int
    window: Window
    runs: list[RouteRun]
    stations: list[dict[str, Any]] = field(default_factory=list)
    queues: dict[str, np.ndarray] = field(default_factory=dict)
    sea: list[tuple[tuple[str, ...], SeaOutcome]] = field(default_factory=list)
    closures: dict[str, Closures] = field(default_factory=dict)


class Engine:
    """Runs one replication of a plan."""

    def __init__(self, plan: Plan, window: Window, seed: int, replication: int,
                 fixed: Mapping[Hashable, Any] | None = None) -> None:
        self.plan = plan
        self.window = window
        self.T = window.end
        self.draws = Draws(Streams(seed, replication), window, fixed)
        self.out = RawReplication(replication, window, [])

    # ---- routes -------------------------------------------------------------------------
    def start(self, route: Route) -> RouteRun:
        enter = self.draws.arrivals(route)
        n = enter.size
        group = np.arange(n, dtype=np.int64) // route.batch
        parts = {p: np.zeros(n) for p in PARTS}
        return RouteRun(route, enter, enter.copy(), group, int(group[-1]) + 1 if n else 0,
                        parts)

    def _move(self, run: RouteRun, part: str, start: np.ndarray, end: np.ndarray) -> None:
        """Units wait from ``run.t`` to ``start`` and are busy until ``end`` (in ``part``)."""
        T = self.T
        t = run.t
        run.in_queue += int(np.count_nonzero((t <= T) & (start > T)))
        run.in_transit += int(np.count_nonzero((start <= T) & (end > T)))
        with np.errstate(invalid="ignore"):
            run.parts[part] += end - t
        run.t = end

    def advance(self, run: RouteRun, upto: int) -> None:
        """Run the route's pure delays (legs, dwells) up to stage ``upto``."""
        route = run.route
        for j in range(run.pos, upto):
            stage = route.stages[j]
            if not isinstance(stage, (Leg, Dwell)):
                raise AssertionError(f"stage {j} of {route.id} is a shared resource")
            delay = self.draws.stage(route, j, stage, run.n_groups)[run.group]
            self._move(run, "moving" if isinstance(stage, Leg) else stage.part, run.t,
                       run.t + delay)
        run.pos = max(run.pos, upto)

    # ---- stations -------------------------------------------------------------------------
    def station(self, key: str, users: list[tuple[int, int]]) -> None:
        runs = self.out.runs
        first = self.plan.routes[users[0][0]].stages[users[0][1]]
        assert isinstance(first, Server)
        closures = None
        if first.open_hours is not None:
            closures = opening_hours(*first.open_hours, self.window.start,
                                     self.window.stop + 8760.0)
        arr, svc, picks = [], [], []
        for i, j in users:
            run = runs[i]
            self.advance(run, j)
            stage = run.route.stages[j]
            assert isinstance(stage, Server)
            if stage.per == "unit":
                values = self.draws.stage(run.route, j, stage, run.t.size)
                ids = np.flatnonzero(np.isfinite(run.t))
                arr.append(run.t[ids])
            else:
                values = self.draws.stage(run.route, j, stage, run.n_groups)
                gt = np.full(run.n_groups, INF)
                gt[run.group] = run.t
                ids = np.flatnonzero(np.isfinite(gt))
                arr.append(gt[ids])
            svc.append(values[ids])
            picks.append(ids)
        a = np.concatenate(arr)
        s = np.concatenate(svc)
        order = np.argsort(a, kind="stable")
        start = np.empty_like(a)
        start[order] = fifo_starts(a[order], s[order], first.servers, closures)
        end = start + s
        row = station_stats(a, start, end, first.servers, self.window)
        row.update(resource=key, kind=first.kind, node=first.node,
                   servers=float(first.servers) if first.servers else float("nan"))
        self.out.stations.append(row)
        self.out.queues[key] = daily_counts(a, start, self.window)
        lo = 0
        for (i, j), ids in zip(users, picks, strict=True):
            run = runs[i]
            stage = run.route.stages[j]
            assert isinstance(stage, Server)
            hi = lo + ids.size
            size = run.t.size if stage.per == "unit" else run.n_groups
            c_start = np.full(size, INF)
            c_end = np.full(size, INF)
            c_start[ids] = start[lo:hi]
            c_end[ids] = end[lo:hi]
            if stage.per == "unit":
                self._move(run, stage.part, c_start, c_end)
                run.group = np.arange(run.t.size, dtype=np.int64)
                run.n_groups = run.t.size
            else:
                self._move(run, stage.part, c_start[run.group], c_end[run.group])
            run.pos = j + 1
            lo = hi

    # ---- sea services ---------------------------------------------------------------------
    def line_closures(self, line_id: str) -> Closures:
        line = self.plan.lines[line_id]
        out = Closures()
        for area in line.weather:
            if area not in self.out.closures:
                self.out.closures[area] = self.draws.weather(area, self.plan.weather[area])
            out = out.union(self.out.closures[area])
        return out

    def sea(self, line_ids: tuple[str, ...], users: list[tuple[int, int]]) -> None:
        runs = self.out.runs
        per_queue: dict[tuple[str, bool], list[tuple[int, int, np.ndarray]]] = {}
        for i, j in users:
            run = runs[i]
            self.advance(run, j)
            stage = run.route.stages[j]
            assert isinstance(stage, Sea)
            ids = np.flatnonzero(np.isfinite(run.t))
            per_queue.setdefault((stage.service, stage.reverse), []).append((i, j, ids))
        queues, orders = {}, {}
        for q, members in per_queue.items():
            nf = len(self.plan.lines[q[0]].fleets)
            a = np.concatenate([runs[i].t[ids] for i, _, ids in members])
            needs = [np.concatenate([np.full(ids.size, self.plan.shares[(i, j)][f])
                                     for i, j, ids in members]) for f in range(nf)]
            order = np.argsort(a, kind="stable")
            orders[q] = order
            queues[q] = PortQueue(a[order], [n[order] for n in needs])
        lines = [self.plan.lines[lid] for lid in line_ids]
        outcome = run_sea(lines, self.plan.berths,
                          {lid: self.line_closures(lid) for lid in line_ids}, queues,
                          self.T, self.window.stop)
        self.out.sea.append((line_ids, outcome))
        sail = {k: np.append(v, INF) for k, v in outcome.sailings.items()
                if k in ("take", "loaded", "depart", "arrive", "unload_start", "unload_end")}
        n_sailings = outcome.sailings["take"].size
        for q, members in per_queue.items():
            sid_sorted = outcome.unit_sailing[q]
            sid = np.empty_like(sid_sorted)
            sid[orders[q]] = sid_sorted
            self._port_stats(q, queues[q].arrivals, sid_sorted, sail)
            lo = 0
            for i, j, ids in members:
                run = runs[i]
                hi = lo + ids.size
                unit_sid = np.full(run.t.size, -1, np.int64)
                unit_sid[ids] = sid[lo:hi]
                lo = hi
                take, dep = sail["take"][unit_sid], sail["depart"][unit_sid]
                arrive, ustart = sail["arrive"][unit_sid], sail["unload_start"][unit_sid]
                uend = sail["unload_end"][unit_sid]
                t0 = run.t
                with np.errstate(invalid="ignore"):
                    run.parts["vessel_wait"] += (take - t0) + (dep - sail["loaded"][unit_sid]) \
                        + (ustart - arrive)
                    run.parts["transship"] += (sail["loaded"][unit_sid] - take) + (uend - ustart)
                    run.parts["moving"] += arrive - dep
                T = self.T
                run.in_queue += int(np.count_nonzero((t0 <= T) & (take > T)))
                run.in_transit += int(np.count_nonzero((take <= T) & (uend > T)))
                run.t = uend
                run.group = np.where(unit_sid >= 0, unit_sid, n_sailings)
                run.n_groups = n_sailings + 1
                run.pos = j + 1

    def _port_stats(self, q: tuple[str, bool], arrivals: np.ndarray, sid: np.ndarray,
                    sail: dict[str, np.ndarray]) -> None:
        line = self.plan.lines[q[0]]
        port = line.port(q[1])
        key = f"port:{port}:{line.id}" + (":reverse" if q[1] else "")
        take, dep = sail["take"][sid], sail["depart"][sid]
        row = station_stats(arrivals, take, dep, None, self.window)
        row.update(resource=key, kind="port", node=port, servers=float("nan"))
        self.out.stations.append(row)
        self.out.queues[key] = daily_counts(arrivals, take, self.window)

    # ---- the whole replication ------------------------------------------------------------
    def run(self) -> RawReplication:
        self.out.runs = [self.start(r) for r in self.plan.routes]
        for key, users in self.plan.resources():
            if key.startswith("sea:"):
                self.sea(tuple(key[4:].split("+")), users)
            else:
                self.station(key, users)
        for run in self.out.runs:
            self.advance(run, len(run.route.stages))
        return self.out


def run_replication(plan: Plan, window: Window, seed: int, replication: int,
                    fixed: Mapping[Hashable, Any] | None = None) -> RawReplication:
    """Run one replication (see :class:`Engine`)."""
    return Engine(plan, window, seed, replication, fixed).run()
