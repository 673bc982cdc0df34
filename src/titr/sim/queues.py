"""FIFO queue recursions on arrays: customers in order of arrival, servers as numbers.

All functions take arrival times sorted ascending (ties in the order given) and service times in
the same order, and return the service start times; departures are ``start + service``.

- :func:`lindley` — one server: ``start[n] = max(a[n], start[n-1] + s[n-1])``, vectorised with
  cumulative sums (equal to the loop up to float rounding).
- :func:`kiefer_wolfowitz` — ``c`` parallel servers fed by one FIFO queue, exact: a customer
  starts at the later of its arrival and the earliest time a server is free (the smallest entry
  of the Kiefer–Wolfowitz workload vector), which then becomes ``start + service``.
- :func:`infinite_servers` — no waiting (a pure delay), except for closures.

An optional :class:`~titr.sim.calendar.Closures` (e.g. opening hours) stops services from
starting while closed; a service that has started runs to its end.
"""

from __future__ import annotations

import heapq
from array import array

import numpy as np

from titr.sim.calendar import Closures


def _check(arrivals: np.ndarray, services: np.ndarray) -> None:
    if arrivals.shape != services.shape or arrivals.ndim != 1:
        raise ValueError("arrivals and services must be 1-d arrays of the same length")


def lindley(arrivals: np.ndarray, services: np.ndarray) -> np.ndarray:
    """Start times of a single FIFO server (no closures), vectorised.

    With ``P[n] = s[0] + … + s[n-1]`` the work done before customer ``n``, the loop
    ``start[n] = max(a[n], start[n-1] + s[n-1])`` unrolls to
    ``start[n] = P[n] + max_{k<=n}(a[k] - P[k])``.
    """
    a = np.asarray(arrivals, float)
    s = np.asarray(services, float)
    _check(a, s)
    if a.size == 0:
        return a.copy()
    before = np.cumsum(s) - s
    start = before + np.maximum.accumulate(a - before)
    return np.maximum(start, a)  # keep start >= arrival despite rounding


def lindley_loop(arrivals: np.ndarray, services: np.ndarray,
                 closures: Closures | None = None) -> np.ndarray:
    """The single-server recursion as a plain loop (exact; honours closures)."""
    return kiefer_wolfowitz(arrivals, services, 1, closures, vectorise=False)


def kiefer_wolfowitz(arrivals: np.ndarray, services: np.ndarray, servers: int,
                     closures: Closures | None = None, vectorise: bool = True) -> np.ndarray:
    """Start times of ``servers`` parallel servers fed by one FIFO queue (exact).

    The loop runs compiled (:mod:`titr.sim.kernels`); ``vectorise=False`` runs it in Python
    (the reference the tests compare with)."""
    a = np.asarray(arrivals, float)
    s = np.asarray(services, float)
    _check(a, s)
    if servers < 1:
        raise ValueError("a station needs at least one server")
    if closures is not None and not len(closures):
        closures = None
    if servers == 1 and closures is None and vectorise:
        return lindley(a, s)
    if servers >= a.size and closures is None:
        return a.copy()
    if vectorise:  # the same loop, compiled
        from titr.sim.kernels import fifo_servers

        empty = np.empty(0)
        return fifo_servers(np.ascontiguousarray(a), np.ascontiguousarray(s), servers,
                            empty if closures is None else closures.starts,
                            empty if closures is None else closures.ends)
    free = [-np.inf] * servers  # a heap: the time each server becomes free
    out = array("d")  # floats stored flat (8 bytes each), not as Python objects
    push = out.append
    replace = heapq.heapreplace
    if closures is None:
        for ai, si in zip(flat(a), flat(s), strict=True):
            f = free[0]
            if ai >= f:
                replace(free, ai + si)
                push(ai)
            else:
                replace(free, f + si)
                push(f)
    else:
        next_open = closures.next_open
        for ai, si in zip(flat(a), flat(s), strict=True):
            f = free[0]
            st = next_open(ai if ai >= f else f)
            replace(free, st + si)
            push(st)
    return np.frombuffer(out, dtype=np.float64).copy() if len(out) else np.empty(0)


def flat(x: np.ndarray) -> array[float]:
    """A compact sequence of Python floats over an array (iterates fast, 8 bytes a value)."""
    out = array("d")
    out.frombytes(np.ascontiguousarray(x, dtype=np.float64).tobytes())
    return out


def infinite_servers(arrivals: np.ndarray, closures: Closures | None = None) -> np.ndarray:
    """Start times when every customer has a server: the arrival, or the next opening."""
    a = np.asarray(arrivals, float)
    if closures is None or not len(closures):
        return a.copy()
    return closures.next_open_array(a)


def fifo_starts(arrivals: np.ndarray, services: np.ndarray, servers: int | None,
                closures: Closures | None = None) -> np.ndarray:
    """Dispatch: ``servers=None`` means as many servers as customers."""
    if servers is None:
        return infinite_servers(arrivals, closures)
    return kiefer_wolfowitz(arrivals, services, servers, closures)
