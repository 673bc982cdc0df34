"""Expected wait for a vessel as a function of how full a sea service is.

A service is treated as a queue of shiploads served by its vessels: shiploads arrive about
as a Poisson stream (cargo trickles in), each vessel takes a round trip to serve one, and the
queue has as many servers as vessels (M/G/c). The wait is half the interval between sailings
(cargo arriving between departures) plus the Sakasegawa (1977) approximation of the M/G/c
queueing delay. The simulation later replaces this approximation with simulated waits.
"""

from __future__ import annotations

import math

from titr.model.units import HOURS_PER_YEAR

RHO_CAP = 0.97  # the LP keeps ρ ≤ 1; the formula is capped just below it so waits stay finite
SERVICE_CV2 = 0.25  # squared coefficient of variation of a round trip (storms, port time)


def sakasegawa_wq(rho: float, servers: float, service_h: float, ca2: float = 1.0,
                  cs2: float = SERVICE_CV2) -> float:
    """Mean wait in queue of a G/G/c queue: ρ^(√(2(c+1))−1) / (c(1−ρ)) · (ca²+cs²)/2 · E[S]."""
    if rho <= 0 or servers <= 0:
        return 0.0
    rho = min(rho, RHO_CAP)
    c = max(servers, 1.0)
    return rho ** (math.sqrt(2 * (c + 1)) - 1) / (c * (1 - rho)) * (ca2 + cs2) / 2 * service_h


def vessel_wait_hours(rho: float, vessels: float, sailings_per_year: float) -> float:
    """Expected hours a unit waits at the port for a vessel, at utilisation ``rho``."""
    if sailings_per_year <= 0:
        return math.inf
    interval = HOURS_PER_YEAR / sailings_per_year
    # a vessel is busy for a round trip stretched by its downtime: V · 8760 h / sailings
    service_h = max(vessels, 1.0) * HOURS_PER_YEAR / sailings_per_year
    return 0.5 * interval + sakasegawa_wq(rho, vessels, service_h)
