"""Statistics of a queue from its customers' times, over the measured window, without sorting.

A customer arrives at ``a``, starts service at ``s`` and leaves at ``e`` (``inf`` when it never
did within the run). The window is ``[t0, t1)``; daily samples are taken at ``t0 + 24 k``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from titr.model.units import HOURS_PER_DAY, HOURS_PER_YEAR


@dataclass(frozen=True)
class Window:
    """The simulated period, in hours from t = 0 (the start of the warm-up).

    The measured year starts at ``warmup_h`` (1 January 00:00) and lasts ``year_h``. Units stop
    entering the network at its end; the run goes on for ``drain_h`` more so that units on
    their way can finish (their door-to-door times are not cut short).
    """

    warmup_h: float = 30 * HOURS_PER_DAY
    year_h: float = HOURS_PER_YEAR
    drain_h: float = 90 * HOURS_PER_DAY

    def __post_init__(self) -> None:
        if self.warmup_h < 0 or self.year_h <= 0 or self.drain_h < 0:
            raise ValueError("warm-up and drain must be >= 0 and the year > 0")

    @property
    def start(self) -> float:
        return self.warmup_h

    @property
    def end(self) -> float:
        return self.warmup_h + self.year_h

    @property
    def stop(self) -> float:
        return self.end + self.drain_h

    @property
    def days(self) -> int:
        return int(np.ceil(self.year_h / HOURS_PER_DAY))


def overlap(a: np.ndarray, b: np.ndarray, t0: float, t1: float) -> float:
    """Total length of the intervals ``[a, b)`` inside ``[t0, t1)``."""
    if a.size == 0:
        return 0.0
    d = np.minimum(b, t1)
    d -= np.maximum(a, t0)
    return float(np.maximum(d, 0.0, out=d).sum())  # NaN-free: times are finite or +inf


def ascending(x: np.ndarray) -> bool:
    return x.size < 2 or bool(np.all(x[1:] >= x[:-1]))


def daily_counts(a: np.ndarray, b: np.ndarray, window: Window,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """How many intervals ``[a, b)`` hold each sample time ``t0 + 24 k`` (k = 0 … days-1)."""
    days = window.days
    samples = window.start + 24.0 * np.arange(days)

    def at_or_before(x: np.ndarray) -> np.ndarray:
        if weights is None and ascending(x):  # sorted (FIFO times): bisect the sample times
            return np.searchsorted(x, samples, side="right")
        k = np.ceil((x - window.start) / HOURS_PER_DAY)
        k = np.where(np.isfinite(k), k, days + 1)
        k = np.clip(k, 0, days + 1).astype(np.int64)
        return np.cumsum(np.bincount(k, weights=weights, minlength=days + 2))[:days]

    if a.size == 0:
        return np.zeros(days)
    return np.asarray(at_or_before(a) - at_or_before(b), float)


def quantile(x: np.ndarray, q: float) -> float:
    x = x[np.isfinite(x)]
    return float(np.quantile(x, q)) if x.size else float("nan")


def mean(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else float("nan")


def station_stats(a: np.ndarray, s: np.ndarray, e: np.ndarray, servers: int | None,
                  window: Window) -> dict[str, float]:
    """Queue and server statistics of a FIFO station over the measured window.

    Waits and times in the station are those of customers arriving in the window. ``mean_queue``
    is the time-weighted mean number waiting; ``busy`` the mean number in service;
    ``utilisation`` = busy / servers (NaN without a server limit).
    """
    t0, t1 = window.start, window.end
    length = t1 - t0
    if ascending(a):  # the usual case: customers in order of arrival; slices, no masks
        lo, hi = np.searchsorted(a, [t0, t1])
        inside: slice | np.ndarray = slice(int(lo), int(hi))
    else:
        inside = (a >= t0) & (a < t1)
    ai = a[inside]
    wait = s[inside] - ai
    time = e[inside] - ai
    ok = np.isfinite(time)
    if not ok.all():
        wait, time = wait[ok], time[ok]
    if time.size:
        mean_wait, mean_time = float(wait.mean()), float(time.mean())
        # both are fresh arrays, used no more: partitioned in place, not copied first
        q50, q90 = np.quantile(time, [0.5, 0.9], overwrite_input=True)
        w90 = np.quantile(wait, 0.9, overwrite_input=True)
    else:
        q50 = q90 = w90 = mean_wait = mean_time = float("nan")
    busy = overlap(s, e, t0, t1) / length
    return {
        "customers": float(ai.size),
        "mean_wait_h": mean_wait,
        "p90_wait_h": float(w90),
        "mean_time_h": mean_time,
        "median_time_h": float(q50),
        "p90_time_h": float(q90),
        "mean_queue": overlap(a, s, t0, t1) / length,
        "busy": busy,
        "utilisation": busy / servers if servers else float("nan"),
    }
