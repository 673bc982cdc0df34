"""One replication: units move as arrays through the stages; shared resources run in order.

Each route's units move in groups (trains, or the units of one sailing; see
:mod:`titr.sim.flows`) that carry their current time (the moment they reach their next stage)
and the time spent so far in each part (:data:`~titr.sim.stages.PARTS`). Legs and dwells are
pure delays and run route by route.
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

from titr.model.units import HOURS_PER_YEAR
from titr.sim.boarding import Boarding
from titr.sim.calendar import Closures, opening_hours
from titr.sim.draws import Draws
from titr.sim.flows import RouteRun
from titr.sim.plan import Plan
from titr.sim.queues import fifo_starts
from titr.sim.rng import Streams
from titr.sim.stages import Dwell, Haul, Sea, Server
from titr.sim.stats import Window, ascending, daily_counts, station_stats
from titr.sim.vessels import PortQueue, SeaOutcome, run_sea

INF = np.inf


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
                 fixed: Mapping[Hashable, Any] | None = None, point: int | None = None
                 ) -> None:
        self.plan = plan
        self.window = window
        self.T = window.end
        self.draws = Draws(Streams(seed, replication, point), window, fixed)
        self.out = RawReplication(replication, window, [])

    # ---- routes -------------------------------------------------------------------------
    def _count(self, run: RouteRun, t: np.ndarray, start: np.ndarray, end: np.ndarray,
               weights: np.ndarray | None) -> None:
        """Count, at the end of the year, the units waiting for and busy in a stage."""
        T = self.T
        queue = (t <= T) & (start > T)
        busy = (start <= T) & (end > T)
        if weights is None:
            run.in_queue += int(np.count_nonzero(queue))
            run.in_transit += int(np.count_nonzero(busy))
        else:
            run.in_queue += int(weights[queue].sum())
            run.in_transit += int(weights[busy].sum())

    def _move(self, run: RouteRun, part: str, start: np.ndarray, end: np.ndarray) -> None:
        """Groups wait from ``run.gt`` to ``start`` and are busy until ``end`` (in ``part``)."""
        self._count(run, run.gt, start, end, run.sizes())
        run.add_part(part, end - run.gt)  # (inf - inf: never reached; run() ignores it)
        run.gt = end

    def advance(self, run: RouteRun, upto: int) -> None:
        """Run the route's pure delays (legs, dwells) up to stage ``upto``."""
        route = run.route
        if run.pos >= upto:
            return
        t0 = run.gt
        for j in range(run.pos, upto):
            stage = route.stages[j]
            if not isinstance(stage, (Haul, Dwell)):
                raise AssertionError(f"stage {j} of {route.id} is a shared resource")
            end = run.gt + self.draws.stage(route, j, stage, run.gt.size)
            run.add_part("moving" if isinstance(stage, Haul) else stage.part, end - run.gt)
            run.gt = end
        # delays have no queue, and follow each other: a group is in one of them at the end
        # of the year when it started the first by then and left the last after it
        self._count(run, t0, t0, run.gt, run.sizes())
        run.pos = upto

    # ---- stations -------------------------------------------------------------------------
    def station(self, key: str, users: list[tuple[int, int]]) -> None:
        runs = self.out.runs
        first = self.plan.routes[users[0][0]].stages[users[0][1]]
        assert isinstance(first, Server)
        closures = None
        if first.open_hours is not None:
            closures = opening_hours(*first.open_hours, self.window.start,
                                     self.window.stop + HOURS_PER_YEAR)
        arr, svc, picks = [], [], []
        for i, j in users:
            run = runs[i]
            self.advance(run, j)
            stage = run.route.stages[j]
            assert isinstance(stage, Server)
            if stage.per == "unit":
                run.split_units()
                t_u = run.piece_times()
                values = self.draws.stage(run.route, j, stage, t_u.size)
                ids = np.flatnonzero(np.isfinite(t_u))
                arr.append(_pick(t_u, ids))
            else:
                values = self.draws.stage(run.route, j, stage, run.gt.size)
                ids = np.flatnonzero(np.isfinite(run.gt) & (run.sizes() > 0))
                arr.append(_pick(run.gt, ids))
            svc.append(_pick(values, ids))
            picks.append(ids)
        a = _joined(arr)
        s = _joined(svc)
        order = None if ascending(a) else np.argsort(a, kind="stable")
        a_o, s_o = (a, s) if order is None else (a[order], s[order])
        start_o = fifo_starts(a_o, s_o, first.servers, closures)
        end_o = start_o + s_o
        # statistics on arrival order: FIFO start times are then sorted too
        row: dict[str, Any] = dict(station_stats(a_o, start_o, end_o, first.servers,
                                                 self.window))
        row.update(resource=key, kind=first.kind, node=first.node,
                   servers=float(first.servers) if first.servers else float("nan"))
        self.out.stations.append(row)
        self.out.queues[key] = daily_counts(a_o, start_o, self.window)
        if order is None:
            start, end = start_o, end_o
        else:
            start, end = np.empty_like(a), np.empty_like(a)
            start[order], end[order] = start_o, end_o
        del a_o, s_o, start_o, end_o
        lo = 0
        for (i, j), ids in zip(users, picks, strict=True):
            run = runs[i]
            stage = run.route.stages[j]
            assert isinstance(stage, Server)
            hi = lo + ids.size
            if stage.per == "unit":
                t_u = run.piece_times()
                parts = run.piece_parts()
                c_start, c_end = _placed(start[lo:hi], ids, t_u.size), _placed(end[lo:hi], ids,
                                                                               t_u.size)
                self._count(run, t_u, c_start, c_end, None)
                parts[stage.part] += c_end - t_u
                run.regroup(None, c_end, parts)
            else:
                n = run.gt.size
                self._move(run, stage.part, _placed(start[lo:hi], ids, n),
                           _placed(end[lo:hi], ids, n))
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
        arrivals: dict[int, np.ndarray] = {}
        for i, j in users:
            run = runs[i]
            self.advance(run, j)
            stage = run.route.stages[j]
            assert isinstance(stage, Sea)
            t_p = run.piece_times()
            ids = np.flatnonzero(np.isfinite(t_p))
            per_queue.setdefault((stage.service, stage.reverse), []).append((i, j, ids))
            arrivals[i] = t_p
        queues, boarding = {}, {}
        for q, members in per_queue.items():
            nf = len(self.plan.lines[q[0]].fleets)
            a = _joined([_pick(arrivals[i], ids) for i, _, ids in members])
            count = _joined([_pick(runs[i].piece_counts(), ids) for i, _, ids in members])
            needs = [_joined([np.full(ids.size, self.plan.shares[(i, j)][f])
                              for i, j, ids in members]) for f in range(nf)]
            # units in order of arrival (ties in route and unit order): the pieces sorted,
            # then repeated unit by unit
            in_order = ascending(a)
            order = np.arange(a.size) if in_order else np.argsort(a, kind="stable")
            count_o = count if in_order else count[order]
            boarding[q] = Boarding(order, count_o, in_order)
            if count.size and count.max() == 1:  # single units: nothing to repeat
                queues[q] = PortQueue(a if in_order else a[order],
                                      needs if in_order else [n[order] for n in needs])
            else:
                queues[q] = PortQueue(np.repeat(a[order], count_o),
                                      [np.repeat(n[order], count_o) for n in needs])
        lines = [self.plan.lines[lid] for lid in line_ids]
        outcome = run_sea(lines, self.plan.berths,
                          {lid: self.line_closures(lid) for lid in line_ids}, queues,
                          self.T, self.window.stop)
        self.out.sea.append((line_ids, outcome))
        s = outcome.sailings
        n_sailings = s["take"].size
        # per sailing (plus a last entry for units never taken): what its units share after
        # the take: weather hold and the wait for a berth to unload, handling, sailing
        # (inf - inf: sailings still under way at the stop)
        after_take = {
            "vessel_wait": (s["depart"] - s["loaded"]) + (s["unload_start"] - s["arrive"]),
            "transship": (s["loaded"] - s["take"]) + (s["unload_end"] - s["unload_start"]),
            "moving": s["arrive"] - s["depart"]}
        after_take = {k: np.append(v, np.nan) for k, v in after_take.items()}
        take_s = np.append(s["take"], INF)
        uend_s = np.append(s["unload_end"], INF)
        for q, members in per_queue.items():
            sid_units = outcome.unit_sailing[q]
            self._port_stats(q, queues.pop(q).arrivals, sid_units, take_s,
                             np.append(s["depart"], INF))
            split = boarding.pop(q).split(sid_units)
            del sid_units
            lo = 0
            for i, j, ids in members:
                run = runs[i]
                src, offset, count, sid = split.of_member(lo, lo + ids.size, ids,
                                                          run.piece_counts())
                lo += ids.size
                # the same pieces, in order (none split)
                same = src is None or src.size == run.piece_counts().size
                t0 = arrivals.pop(i) if same else arrivals.pop(i)[src]
                take = take_s[sid]
                old = run.piece_parts()
                # (the parts handed out are the run's to change: it takes new ones below)
                parts = old if same else {p: v[src] for p, v in old.items()}
                parts["vessel_wait"] += take
                parts["vessel_wait"] -= t0
                for k, v in after_take.items():
                    parts[k] += v[sid]
                uend = uend_s[sid]
                self._count(run, t0, take, uend, count)
                del take, uend, t0
                # the route's groups are now the sailings its units took (and one for those
                # never taken), numbered in sailing order: later draws cost one value each
                sailing = np.where(sid >= 0, sid, n_sailings)
                used = np.zeros(n_sailings + 1, bool)
                used[sailing] = True
                number = np.cumsum(used) - 1
                assert run.p_enter is not None and run.p_first is not None
                run.regroup(number[sailing], uend_s[used], parts, None if same else
                            (run.p_enter[src], count, run.p_first[src] + offset))
                run.pos = j + 1

    def _port_stats(self, q: tuple[str, bool], arrivals: np.ndarray, sid: np.ndarray,
                    take_s: np.ndarray, depart_s: np.ndarray) -> None:
        line = self.plan.lines[q[0]]
        port = line.port(q[1])
        key = f"port:{port}:{line.id}" + (":reverse" if q[1] else "")
        take, dep = take_s[sid], depart_s[sid]
        row: dict[str, Any] = dict(station_stats(arrivals, take, dep, None, self.window))
        row.update(resource=key, kind="port", node=port, servers=float("nan"))
        self.out.stations.append(row)
        self.out.queues[key] = daily_counts(arrivals, take, self.window)

    # ---- the whole replication ------------------------------------------------------------
    def run(self) -> RawReplication:
        # units never done carry inf times, whose differences (inf - inf) are NaN parts
        with np.errstate(invalid="ignore"):
            return self._run()

    def _run(self) -> RawReplication:
        self.out.runs = [RouteRun.start(r, self.draws.arrivals(r))
                         for r in self.plan.routes]
        for key, users in self.plan.resources():
            if key.startswith("sea:"):
                self.sea(tuple(key[4:].split("+")), users)
            else:
                self.station(key, users)
        for run in self.out.runs:
            self.advance(run, len(run.route.stages))
            run.finish()
        return self.out


def run_replication(plan: Plan, window: Window, seed: int, replication: int,
                    fixed: Mapping[Hashable, Any] | None = None, point: int | None = None
                    ) -> RawReplication:
    """Run one replication (see :class:`Engine`). With ``point`` (a sweep's design point),
    its random streams come from ``SeedSequence((seed, point, replication))``."""
    return Engine(plan, window, seed, replication, fixed, point).run()


def _pick(x: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """``x[ids]``, or ``x`` itself when ``ids`` picks every entry in order."""
    return x if ids.size == x.size else x[ids]


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _placed(values: np.ndarray, ids: np.ndarray, size: int) -> np.ndarray:
    """``size`` entries, ``values`` at ``ids`` and inf elsewhere (``values`` itself when
    ``ids`` is every entry)."""
    if ids.size == size:
        return values
    out = np.full(size, INF)
    out[ids] = values
    return out
