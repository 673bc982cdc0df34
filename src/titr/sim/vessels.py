"""The vessel engine: ferries, feeders and tankers as a small heapq event loop.

Only vessels are events. The units waiting at a port are an array of arrival times (known in
advance: every stage before the port has already run); a vessel takes units from the head of
that array by index arithmetic, using cumulative sums of the capacity each unit needs.

Each vessel repeats, at each port: request a berth (FIFO); unload what it carries; join the
port's load line (FIFO among vessels); take units when the departure rule allows (see
:class:`~titr.sim.plan.SeaLine`); load them; if the line's weather is closed, keep the berth
until it opens; release the berth and sail to the other port.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from titr.sim.calendar import Closures
from titr.sim.plan import SeaLine
from titr.sim.queues import flat

EPS = 1e-9
_ARRIVE, _TAKE, _DEPART, _UNLOADED = range(4)
SAILING_FIELDS = ("line", "reverse", "vessel", "take", "loaded", "depart", "arrive",
                  "unload_start", "unload_end", "amount", "units", "capacity")


@dataclass
class PortQueue:
    """The units boarding one line in one direction, in order of arrival at the port.

    ``needs[f]`` gives, per unit, the capacity of fleet ``f`` it uses.
    """

    arrivals: np.ndarray
    needs: Sequence[np.ndarray]


@dataclass
class SeaOutcome:
    """What the loop did: one row per sailing, each unit's sailing, the berths' use."""

    sailings: dict[str, np.ndarray]
    unit_sailing: dict[tuple[str, bool], np.ndarray]
    berth_use: dict[str, tuple[np.ndarray, np.ndarray]]
    berth_wait: dict[str, tuple[np.ndarray, np.ndarray]]
    vessel_line: list[int] = field(default_factory=list)
    vessel_fleet: list[int] = field(default_factory=list)


class _Side:
    """One end of a line: its port queue, its load line of vessels, its schedule."""

    __slots__ = ("arr", "cum", "head", "home", "line", "n", "sids", "slot", "takes", "unit")

    def __init__(self, queue: PortQueue | None, fleets: int, home: bool) -> None:
        if queue is None:
            queue = PortQueue(np.empty(0), [np.empty(0)] * fleets)
        self.arr = flat(queue.arrivals)
        self.n = len(self.arr)
        # per fleet: the capacity every unit needs when they all need the same (then counts
        # are index arithmetic), else the cumulative needs (then counts come from bisection)
        self.unit: list[float] = []
        self.cum: list[array[float]] = []
        for need in queue.needs:
            need = np.asarray(need, float)
            same = need.size > 0 and bool(np.all(need == need[0]))
            self.unit.append(float(need[0]) if same else 0.0)
            self.cum.append(array("d") if same else
                            flat(np.concatenate([[0.0], np.cumsum(need)])))
        self.head = 0
        self.sids: list[int] = []  # sailings that took units here, in order …
        self.takes: list[int] = []  # … and how many units each took
        # vessels at the load line: the one taking first, then the waiting ones by (since, v)
        self.line: list[tuple[float, int]] = []
        self.home = home
        self.slot = -1

    def unit_sailing(self) -> np.ndarray:
        sid = np.full(self.n, -1, np.int64)
        taken = np.repeat(np.asarray(self.sids, np.int64), np.asarray(self.takes, np.int64))
        sid[: taken.size] = taken
        return sid


class _Pool:
    __slots__ = ("free", "use_e", "use_s", "wait", "wait_e", "wait_s")

    def __init__(self, berths: int | None) -> None:
        self.free = berths  # None: no limit
        self.wait: list[tuple[float, int]] = []  # by (since, vessel): ties in vessel order
        self.use_s: list[float] = []
        self.use_e: list[float] = []
        self.wait_s: list[float] = []
        self.wait_e: list[float] = []


# columns of a sailing row
_LINE, _REV, _VESSEL, _TAKE_T, _LOADED_T, _DEP, _ARR, _USTART, _UEND, _AMOUNT, _UNITS, _CAP = \
    range(12)


def run_sea(lines: Sequence[SeaLine], berths: Mapping[str, int | None],
            closures: Mapping[str, Closures], queues: Mapping[tuple[str, bool], PortQueue],
            t_flush: float, t_stop: float) -> SeaOutcome:
    """Run the vessels of ``lines`` (which may share ports) from t = 0 to ``t_stop``.

    ``queues[(line, reverse)]`` holds the units boarding each line in each direction. After
    ``t_flush`` (no more units enter the network) a vessel waiting for a full load sails with
    what is there. A vessel calling where no unit ever boards sails back as soon as it has
    unloaded (and the weather allows), without a sailing row.
    """
    heap: list[tuple[float, int, int, int]] = []
    seq = itertools.count()
    push = heapq.heappush
    inf = math.inf
    sides: list[tuple[_Side, _Side]] = []
    pools: dict[str, _Pool] = {}
    # per vessel
    v_line: list[int] = []
    v_fleet: list[int] = []
    v_side: list[int] = []
    v_cargo: list[int] = []
    v_bstart: list[float] = []
    v_sides: list[tuple[_Side, _Side]] = []
    v_pools: list[tuple[_Pool, _Pool]] = []
    v_open: list[Callable[[float], float]] = []
    v_cap: list[float] = []
    v_need: list[float] = []
    v_hfix: list[float] = []
    v_hper: list[float] = []
    v_sail: list[float] = []
    v_headway: list[float | None] = []
    v_passive: list[tuple[bool, bool]] = []
    for li, line in enumerate(lines):
        nf = len(line.fleets)
        home = 1 if line.home_reverse else 0
        pair = (_Side(queues.get((line.id, False)), nf, home == 0),
                _Side(queues.get((line.id, True)) if line.bidirectional else None, nf,
                      home == 1))
        sides.append(pair)
        for port in (line.from_port, line.to_port):
            if port not in pools:
                pools[port] = _Pool(berths.get(port))
        next_open = closures.get(line.id, Closures()).opener()
        # a side is passive when nobody boards there and berths are free: a call there is
        # computed at the departure towards it, without events
        passive = (not pair[0].home and pair[0].n == 0 and pools[line.from_port].free is None,
                   not pair[1].home and pair[1].n == 0 and pools[line.to_port].free is None)
        headway = line.headway_h if line.departure == "schedule" else None
        for fi, fleet in enumerate(line.fleets):
            for _ in range(fleet.vessels):
                v = len(v_line)
                v_line.append(li)
                v_fleet.append(fi)
                v_side.append(home)
                v_cargo.append(-1)
                v_bstart.append(0.0)
                v_sides.append(pair)
                v_pools.append((pools[line.from_port], pools[line.to_port]))
                v_open.append(next_open)
                v_cap.append(fleet.capacity)
                v_need.append(line.min_load * fleet.capacity)
                v_hfix.append(fleet.handling_fixed_h)
                v_hper.append(fleet.handling_per_unit_h)
                v_sail.append(fleet.sail_h)
                v_headway.append(headway)
                v_passive.append(passive)
                push(heap, (0.0, next(seq), _ARRIVE, v))
    rows: list[list[float]] = []

    def granted(v: int, t: float) -> None:
        v_bstart[v] = t
        s = v_cargo[v]
        if s >= 0:
            row = rows[s]
            row[_USTART] = t
            amount = row[_AMOUNT]
            if amount > 0:
                push(heap, (t + (v_hfix[v] + v_hper[v] * amount), next(seq), _UNLOADED, v))
                return
            row[_UEND] = t
            v_cargo[v] = -1
        enter_line(v, t)

    def enter_line(v: int, t: float) -> None:
        side = v_sides[v][v_side[v]]
        if side.n == 0 and not side.home:  # nothing ever boards here: sail back
            dep = v_open[v](t)
            if dep > t:
                push(heap, (dep, next(seq), _DEPART, v))
            else:
                depart(v, t)
            return
        if side.line:
            bisect.insort(side.line, (t, v), lo=1)
        else:
            side.line.append((t, v))
            schedule_take(side, t)

    def pending_away(v: int) -> bool:
        away = v_sides[v][1 - v_side[v]]
        return away.head < away.n

    def schedule_take(side: _Side, t: float) -> None:
        v = side.line[0][1]
        if side.home:
            headway = v_headway[v]
            if headway is not None:
                if side.head >= side.n and t >= t_flush and not pending_away(v):
                    return  # nothing will ever come: stay at the berth
                k = max(math.ceil(t / headway - EPS), side.slot + 1)
                side.slot = k
                ready = k * headway
            else:
                head = side.head
                unit = side.unit[v_fleet[v]]
                if unit:
                    k = head + math.ceil(v_need[v] / unit - EPS)
                else:
                    cum = side.cum[v_fleet[v]]
                    k = bisect.bisect_left(cum, cum[head] + v_need[v] - EPS, head)
                if k <= head:
                    k = head + 1
                if k <= side.n:
                    ready = side.arr[k - 1]
                elif side.n > head:
                    ready = max(t_flush, side.arr[side.n - 1])
                elif pending_away(v):
                    ready = t_flush  # none will come here: fetch those at the other port
                else:
                    return  # no unit will ever come
            if ready > t:
                push(heap, (ready, next(seq), _TAKE, v))
                return
        take(v, t)

    def take(v: int, t: float) -> None:
        side = v_sides[v][v_side[v]]
        head = side.head
        unit = side.unit[v_fleet[v]] if side.n else 1.0
        # the units that have arrived by t, bisected only among those that fit (fast)
        if unit:
            fits = head + int(v_cap[v] / unit + EPS)
            end = bisect.bisect_right(side.arr, t, head, min(fits, side.n))
            amount = (end - head) * unit
        else:
            cum = side.cum[v_fleet[v]]
            fits = bisect.bisect_right(cum, cum[head] + v_cap[v] + EPS, head) - 1
            end = bisect.bisect_right(side.arr, t, head, min(fits, side.n))
            amount = cum[end] - cum[head] if end > head else 0.0
        s = len(rows)
        rows.append([v_line[v], v_side[v], v, t, inf, inf, inf, inf, inf, amount, end - head,
                     v_cap[v]])
        if end > head:
            side.sids.append(s)
            side.takes.append(end - head)
            side.head = end
        v_cargo[v] = s
        side.line.pop(0)
        done = t + (v_hfix[v] + v_hper[v] * amount) if amount > 0 else t
        rows[s][_LOADED_T] = done
        dep = v_open[v](done)
        if dep > t:
            # its departure is due before the next vessel in line takes: vessels held until
            # the same moment leave in the order they loaded
            push(heap, (dep, next(seq), _DEPART, v))
            if side.line:
                schedule_take(side, t)
        else:
            if side.line:
                schedule_take(side, t)
            depart(v, t)

    def depart(v: int, t: float) -> None:
        side = v_side[v]
        pool = v_pools[v][side]
        if pool.free is not None:
            pool.use_s.append(v_bstart[v])
            pool.use_e.append(t)
            if pool.wait:
                since, w = pool.wait.pop(0)
                pool.wait_s.append(since)
                pool.wait_e.append(t)
                granted(w, t)
            else:
                pool.free += 1
        arrive_t = t + v_sail[v]
        s = v_cargo[v]
        if s >= 0:
            row = rows[s]
            row[_DEP] = t
            row[_ARR] = arrive_t
        other = 1 - side
        if v_passive[v][other]:
            # nobody boards there and berths are free: unload and sail back, no events
            if s >= 0:
                row[_USTART] = arrive_t
                amount = row[_AMOUNT]
                if amount > 0:
                    arrive_t += v_hfix[v] + v_hper[v] * amount
                row[_UEND] = arrive_t
                v_cargo[v] = -1
            push(heap, (v_open[v](arrive_t) + v_sail[v], next(seq), _ARRIVE, v))
            return
        v_side[v] = other
        push(heap, (arrive_t, next(seq), _ARRIVE, v))

    def unloaded(v: int, t: float) -> None:
        rows[v_cargo[v]][_UEND] = t
        v_cargo[v] = -1
        enter_line(v, t)

    pop = heapq.heappop
    while heap:
        t, _, kind, v = pop(heap)
        if t > t_stop:
            break
        if kind == _ARRIVE:
            pool = v_pools[v][v_side[v]]
            if pool.free is None:
                granted(v, t)
            elif pool.free > 0:
                pool.free -= 1
                granted(v, t)
            else:
                bisect.insort(pool.wait, (t, v))
        elif kind == _UNLOADED:
            unloaded(v, t)
        elif kind == _TAKE:
            take(v, t)
        else:
            depart(v, t)

    table = np.array(rows, float).reshape(len(rows), len(SAILING_FIELDS))
    sailings = {k: table[:, i].copy() for i, k in enumerate(SAILING_FIELDS)}
    for k in ("line", "reverse", "vessel", "units"):
        sailings[k] = sailings[k].astype(np.int64)
    unit_sailing = {}
    for li, line in enumerate(lines):
        unit_sailing[(line.id, False)] = sides[li][0].unit_sailing()
        unit_sailing[(line.id, True)] = sides[li][1].unit_sailing()
    berth_use = {p: (np.array(pl.use_s), np.array(pl.use_e)) for p, pl in pools.items()
                 if pl.free is not None}
    berth_wait = {p: (np.array(pl.wait_s), np.array(pl.wait_e)) for p, pl in pools.items()
                  if pl.free is not None}
    return SeaOutcome(sailings, unit_sailing, berth_use, berth_wait, v_line, v_fleet)
