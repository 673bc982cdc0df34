"""The engine's hottest loop compiled by numba: a FIFO station of ``c`` servers.

Compiled on first use and cached on disk (``cache=True``), so later processes load it instead of
compiling. The loop does the same float operations as the Python loop in
:func:`titr.sim.queues.kiefer_wolfowitz` (``max``, one addition per customer), so the start
times are identical to the last bit. :mod:`titr.sim.queues` imports this module only when a
station with limited servers first runs, so importing ``titr.sim`` does not import numba.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _sift_down(heap: np.ndarray, value: float) -> None:
    """Replace the smallest entry of the min-heap ``heap`` by ``value`` (heapq.heapreplace)."""
    n = heap.size
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] < value:
            heap[i] = heap[child]
            i = child
        else:
            break
    heap[i] = value


@numba.njit(cache=True, nogil=True)
def fifo_servers(arrivals: np.ndarray, services: np.ndarray, servers: int,
                 closed_starts: np.ndarray, closed_ends: np.ndarray) -> np.ndarray:
    """Start times of ``servers`` parallel servers fed by one FIFO queue; a service may not
    start inside a closure ``[closed_starts[k], closed_ends[k])`` (sorted, disjoint)."""
    n = arrivals.size
    out = np.empty(n)
    free = np.full(servers, -np.inf)  # a min-heap: the time each server becomes free
    closures = closed_starts.size
    for k in range(n):
        a = arrivals[k]
        f = free[0]
        st = a if a >= f else f
        if closures:
            i = np.searchsorted(closed_starts, st, side="right") - 1
            if i >= 0 and st < closed_ends[i]:
                st = closed_ends[i]
        out[k] = st
        _sift_down(free, st + services[k])
    return out
