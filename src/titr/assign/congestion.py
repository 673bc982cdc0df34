"""Expected wait for a vessel as a function of how full a sea service is.

A service is treated as a queue of shiploads served by its vessels: shiploads arrive about
as a Poisson stream (cargo trickles in), each vessel takes a round trip to serve one, and the
queue has as many servers as vessels (M/G/c). The wait is half the interval between sailings
(cargo arriving between departures) plus the Sakasegawa (1977) approximation of the M/G/c
queueing delay. The simulation later replaces this approximation with simulated waits.

A steady-state wait is what a queue reaches after a long time; near full use that takes far
longer than a year (at ρ = 0.97 a ferry line of two ships needs ~7 years to get there). A year
starts with an empty queue, so the wait is the steady-state one times the share of it the queue
reaches on average over the year: the heavy-traffic (reflected Brownian motion) approximation
of Abate & Whitt (1987), with the c servers pooled into one — E[W(t)] / E[W(∞)] = H₁(t/τ),
H₁(u) = 1 − 2(1 + u)Φ̄(√u) + 2√u·φ(√u), relaxation time τ = ρ·(E[S]/c)·(ca² + cs²)/(1 − ρ)².
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from scipy.special import erfc

from titr.model.units import HOURS_PER_YEAR

RHO_CAP = 0.97  # the LP keeps ρ ≤ 1; the formula is capped just below it so waits stay finite
SERVICE_CV2 = 0.25  # squared coefficient of variation of a round trip (storms, port time)


def sakasegawa_wq(rho: float, servers: float, service_h: float, ca2: float = 1.0,
                  cs2: float = SERVICE_CV2, horizon_h: float | None = HOURS_PER_YEAR) -> float:
    """Mean wait in queue of a G/G/c queue: ρ^(√(2(c+1))−1) / (c(1−ρ)) · (ca²+cs²)/2 · E[S],
    averaged over ``horizon_h`` hours from an empty queue (None: the steady state)."""
    if rho <= 0 or servers <= 0:
        return 0.0
    rho = min(rho, RHO_CAP)
    c = max(servers, 1.0)
    steady = rho ** (math.sqrt(2 * (c + 1)) - 1) / (c * (1 - rho)) * (ca2 + cs2) / 2 * service_h
    if horizon_h is None:
        return steady
    tau = rho * service_h / c * (ca2 + cs2) / (1 - rho) ** 2
    return steady * reached_share(horizon_h / tau)


def _h1(u: np.ndarray) -> np.ndarray:
    """E[R(u)] / E[R(∞)] of a reflected Brownian motion started at 0 (Abate & Whitt 1987)."""
    r = np.sqrt(u)
    tail = 0.5 * erfc(r / math.sqrt(2))
    density = np.exp(-u / 2) / math.sqrt(2 * math.pi)
    out: np.ndarray = 1 - 2 * (1 + u) * tail + 2 * r * density
    return out


_GRID = np.linspace(0.0, 1.0, 129) ** 2  # denser near 0, where H₁ rises fastest
_LONG = 200.0  # relaxation times after which H₁ is 1 to within 1e-40
_SHORTFALL = float(np.trapezoid(1 - _h1(_GRID * _LONG), _GRID * _LONG))


def reached_share(u: float) -> float:
    """The mean of H₁ over [0, u] (u: the horizon in relaxation times): the share of its
    steady-state wait a queue starting empty shows on average over the horizon."""
    if u <= 0:
        return 0.0
    if u > _LONG:  # only the first relaxation times fall short of the steady state
        return 1.0 - _SHORTFALL / u
    xs = _GRID * u
    return float(np.trapezoid(_h1(xs), xs)) / u


def vessel_wait_hours(rho: float, vessels: float, sailings_per_year: float) -> float:
    """Expected hours a unit waits at the port for a vessel, at utilisation ``rho``."""
    if sailings_per_year <= 0:
        return math.inf
    interval = HOURS_PER_YEAR / sailings_per_year
    # a vessel is busy for a round trip stretched by its downtime: V · 8760 h / sailings
    service_h = max(vessels, 1.0) * HOURS_PER_YEAR / sailings_per_year
    return 0.5 * interval + sakasegawa_wq(rho, vessels, service_h)


def reached_shares(u: np.ndarray) -> np.ndarray:
    """:func:`reached_share` of each horizon in ``u`` at once (the same numbers: the same
    operations on each, row by row)."""
    out = np.zeros(len(u))
    long = u > _LONG
    out[long] = 1.0 - _SHORTFALL / u[long]
    mid = np.flatnonzero((u > 0) & ~long)
    if mid.size:
        xs = _GRID[None, :] * u[mid, None]
        out[mid] = np.trapezoid(_h1(xs), xs, axis=1) / u[mid]
    return out


def waits_of(fns: Sequence[Callable[[float], float]], rhos: Sequence[float]) -> list[float]:
    """``[fn(rho) for fn, rho in zip(fns, rhos)]``, with the wait functions of this module
    (``partial`` of :func:`vessel_wait_hours` or :func:`sakasegawa_wq` with the default
    horizon) evaluated together: their share of the steady state in one array operation."""
    out: list[float] = [0.0] * len(fns)
    todo: list[tuple[int, float | None, float, float]] = []  # (i, added hours, steady, u)
    for i, (fn, rho) in enumerate(zip(fns, rhos, strict=True)):
        args = _queue(fn)
        if args is None:
            out[i] = fn(rho)
            continue
        add, servers, service_h, ca2, cs2 = args
        if add == math.inf:
            out[i] = math.inf
            continue
        if rho <= 0 or servers <= 0:  # as sakasegawa_wq
            out[i] = 0.0 if add is None else add + 0.0
            continue
        rho = min(rho, RHO_CAP)
        c = max(servers, 1.0)
        steady = rho ** (math.sqrt(2 * (c + 1)) - 1) / (c * (1 - rho)) * (ca2 + cs2) / 2 * \
            service_h
        tau = rho * service_h / c * (ca2 + cs2) / (1 - rho) ** 2
        todo.append((i, add, steady, HOURS_PER_YEAR / tau))
    if todo:
        shares = reached_shares(np.array([u for *_, u in todo])).tolist()
        for (i, add, steady, _), share in zip(todo, shares, strict=True):
            wq = steady * share
            out[i] = wq if add is None else add + wq
    return out


def _queue(fn: Callable[[float], float]) -> tuple[float | None, float, float, float,
                                                  float] | None:
    """(hours added to the queueing delay or None, servers, mean service hours, ca², cs²) of
    a wait function of this module, None for any other."""
    if not isinstance(fn, partial) or fn.args:
        return None
    kw = fn.keywords
    if fn.func is vessel_wait_hours and set(kw) == {"vessels", "sailings_per_year"}:
        vessels, sailings = kw["vessels"], kw["sailings_per_year"]
        if sailings <= 0:
            return math.inf, 0.0, 0.0, 0.0, 0.0
        service_h = max(vessels, 1.0) * HOURS_PER_YEAR / sailings
        return 0.5 * (HOURS_PER_YEAR / sailings), vessels, service_h, 1.0, SERVICE_CV2
    if fn.func is sakasegawa_wq and set(kw) <= {"servers", "service_h", "ca2", "cs2"} and \
            {"servers", "service_h"} <= set(kw):
        return None, kw["servers"], kw["service_h"], kw.get("ca2", 1.0), \
            kw.get("cs2", SERVICE_CV2)
    return None
