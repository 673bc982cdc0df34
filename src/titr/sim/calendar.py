"""Closure calendars: storm episodes, the ice season and opening hours, as sorted intervals.

Simulation time is in hours. ``year_start`` is the simulation time of 1 January 00:00 of the
simulated year (the warm-up runs before it, in December of the year before). A calendar is a
set of disjoint, sorted, half-open intervals ``[start, end)`` during which something is closed.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from titr.model.units import HOURS_PER_DAY, HOURS_PER_YEAR

MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_START_H = np.concatenate([[0.0], np.cumsum(MONTH_DAYS) * HOURS_PER_DAY])  # 13 entries


class Closures:
    """Disjoint sorted closed intervals; ``next_open(t)`` is t, or the end of the closure."""

    __slots__ = ("_ends", "_starts", "ends", "starts")

    def __init__(self, starts: Iterable[float] = (), ends: Iterable[float] = ()) -> None:
        s = np.asarray(list(starts) if not isinstance(starts, np.ndarray) else starts, float)
        e = np.asarray(list(ends) if not isinstance(ends, np.ndarray) else ends, float)
        if s.shape != e.shape:
            raise ValueError("closure starts and ends differ in length")
        if np.any(e < s):
            raise ValueError("a closure ends before it starts")
        keep = e > s
        s, e = s[keep], e[keep]
        order = np.argsort(s, kind="stable")
        s, e = s[order], e[order]
        if s.size:  # merge overlapping or touching intervals
            run_end = np.maximum.accumulate(e)
            new = np.ones(s.size, bool)
            new[1:] = s[1:] > run_end[:-1]
            idx = np.flatnonzero(new)
            last = np.append(idx[1:] - 1, s.size - 1)
            s, e = s[idx], run_end[last]
        self.starts: np.ndarray = s
        self.ends: np.ndarray = e
        self._starts: list[float] = s.tolist()
        self._ends: list[float] = e.tolist()

    def __len__(self) -> int:
        return len(self._starts)

    def __repr__(self) -> str:
        return f"Closures({len(self)} intervals, {self.total_hours():.1f} h)"

    def union(self, *others: Closures) -> Closures:
        parts = [self, *others]
        return Closures(np.concatenate([p.starts for p in parts]),
                        np.concatenate([p.ends for p in parts]))

    def next_open(self, t: float) -> float:
        """``t`` if open at ``t``, else the end of the closure that holds ``t``."""
        i = bisect.bisect_right(self._starts, t) - 1
        if i >= 0 and t < self._ends[i]:
            return self._ends[i]
        return t

    def opener(self) -> Callable[[float], float]:
        """:meth:`next_open` as a plain function over local lists (for hot loops)."""
        starts, ends = self._starts, self._ends
        after = bisect.bisect_right

        def next_open(t: float) -> float:
            i = after(starts, t) - 1
            if i >= 0 and t < ends[i]:
                return ends[i]
            return t

        return next_open

    def next_open_array(self, t: np.ndarray) -> np.ndarray:
        if not len(self):
            return t
        i = np.searchsorted(self.starts, t, side="right") - 1
        ic = np.maximum(i, 0)
        closed = (i >= 0) & (t < self.ends[ic])
        return np.where(closed, self.ends[ic], t)

    def is_closed(self, t: float) -> bool:
        return self.next_open(t) > t

    def total_hours(self, t0: float = -np.inf, t1: float = np.inf) -> float:
        """Closed hours inside ``[t0, t1)``."""
        lo = np.maximum(self.starts, t0)
        hi = np.minimum(self.ends, t1)
        return float(np.clip(hi - lo, 0.0, None).sum())


@dataclass(frozen=True)
class StormSpec:
    """Storm episodes: Poisson starts within the storm months, exponential durations."""

    events_per_year: float
    mean_duration_h: float
    months: tuple[int, ...] = tuple(range(1, 13))


@dataclass(frozen=True)
class IceSpec:
    """A closed season from day-of-year ``start_day`` to ``end_day`` inclusive (1–365)."""

    start_day: int
    end_day: int


@dataclass(frozen=True)
class WeatherSpec:
    storms: StormSpec | None = None
    ice: IceSpec | None = None


def season_segments(months: Sequence[int], year_start: float, horizon: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The storm-month stretches of ``[0, horizon)`` as (starts, ends), sorted."""
    starts, ends = [], []
    first = int(np.floor(-year_start / HOURS_PER_YEAR)) - 1
    last = int(np.ceil((horizon - year_start) / HOURS_PER_YEAR)) + 1
    for k in range(first, last + 1):
        base = year_start + k * HOURS_PER_YEAR
        for m in sorted(set(months)):
            s = max(base + MONTH_START_H[m - 1], 0.0)
            e = min(base + MONTH_START_H[m], horizon)
            if e > s:
                starts.append(s)
                ends.append(e)
    return np.array(starts), np.array(ends)


def storm_closures(spec: StormSpec, rng: np.random.Generator, year_start: float,
                   horizon: float) -> Closures:
    """Storm episodes over ``[0, horizon)``.

    Starts are a Poisson process run on a clock that only ticks during the storm months (a time
    warp), at ``events_per_year`` per year of storm months; so the expected number of storms in
    a calendar year is ``events_per_year``. Durations are exponential; overlaps merge.
    """
    seg_s, seg_e = season_segments(spec.months, year_start, horizon)
    if spec.events_per_year <= 0 or seg_s.size == 0:
        return Closures()
    season_h = sum(MONTH_DAYS[m - 1] for m in set(spec.months)) * HOURS_PER_DAY
    rate = spec.events_per_year / season_h  # storms per hour of storm season
    lengths = seg_e - seg_s
    cum = np.concatenate([[0.0], np.cumsum(lengths)])
    total = cum[-1]
    expected = int(rate * total + 10.0 * np.sqrt(rate * total + 1.0) + 10)
    taus = np.cumsum(rng.exponential(1.0 / rate, expected))
    while taus[-1] < total:  # pragma: no cover - the margin above makes this very unlikely
        more = taus[-1] + np.cumsum(rng.exponential(1.0 / rate, expected))
        taus = np.concatenate([taus, more])
    taus = taus[taus < total]
    seg = np.searchsorted(cum, taus, side="right") - 1
    starts = seg_s[seg] + (taus - cum[seg])
    durations = rng.exponential(spec.mean_duration_h, starts.size)
    return Closures(starts, starts + durations)


def ice_closures(spec: IceSpec, year_start: float, horizon: float) -> Closures:
    """The ice season of every year touching ``[0, horizon)`` (it may wrap over New Year)."""
    starts, ends = [], []
    first = int(np.floor(-year_start / HOURS_PER_YEAR)) - 1
    last = int(np.ceil((horizon - year_start) / HOURS_PER_YEAR)) + 1
    for k in range(first, last + 1):
        base = year_start + k * HOURS_PER_YEAR
        s = base + (spec.start_day - 1) * HOURS_PER_DAY
        e = base + spec.end_day * HOURS_PER_DAY
        if e <= s:
            e += HOURS_PER_YEAR
        starts.append(min(max(s, 0.0), horizon))
        ends.append(min(max(e, 0.0), horizon))
    return Closures(starts, ends)


def weather_closures(spec: WeatherSpec, rng: np.random.Generator, year_start: float,
                     horizon: float) -> Closures:
    out = Closures()
    if spec.storms is not None:
        out = out.union(storm_closures(spec.storms, rng, year_start, horizon))
    if spec.ice is not None:
        out = out.union(ice_closures(spec.ice, year_start, horizon))
    return out


def opening_hours(open_h: float, close_h: float, year_start: float, horizon: float
                  ) -> Closures:
    """Daily opening hours ``[open_h, close_h)`` (hours of the day; overnight if open > close)
    as the closures between them, over ``[0, horizon)``."""
    if not (0 <= open_h <= 24 and 0 <= close_h <= 24):
        raise ValueError("opening hours must be between 0 and 24")
    if open_h == close_h or (open_h, close_h) == (0.0, HOURS_PER_DAY):
        return Closures()
    length = (open_h - close_h) % HOURS_PER_DAY  # closed hours a day
    first = int(np.floor(-year_start / HOURS_PER_DAY)) - 1
    last = int(np.ceil((horizon - year_start) / HOURS_PER_DAY)) + 1
    days = year_start + 24.0 * np.arange(first, last + 1)
    starts = days + close_h
    return Closures(np.clip(starts, 0.0, horizon), np.clip(starts + length, 0.0, horizon))
