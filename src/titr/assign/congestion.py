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
