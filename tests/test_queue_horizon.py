"""The assignment's queueing waits start each year empty: the steady-state wait times the share
of it a queue reaches over the year (reflected Brownian motion, Abate & Whitt 1987), checked
against an M/M/1 queue simulated customer by customer (Lindley's recursion)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pytest

from titr.assign.congestion import (
    reached_share,
    reached_shares,
    sakasegawa_wq,
    vessel_wait_hours,
    waits_of,
)


def _lindley_mean_wait(rho: float, horizon: float, runs: int, seed: int) -> float:
    """Mean wait in queue of the customers arriving in [0, horizon] at an M/M/1 queue with
    mean service 1 that starts empty, averaged over independent runs."""
    rng = np.random.default_rng(seed)
    means = []
    n = int(rho * horizon * 2) + 50
    for _ in range(runs):
        gaps = rng.exponential(1 / rho, n)
        services = rng.exponential(1.0, n)
        arrived = int(np.searchsorted(np.cumsum(gaps), horizon))
        wait, total = 0.0, 0.0
        for i in range(1, arrived):
            wait = max(0.0, wait + services[i - 1] - gaps[i])
            total += wait
        means.append(total / arrived)
    return float(np.mean(means))


@pytest.mark.parametrize(("rho", "horizon"), [(0.9, 200.0), (0.95, 400.0)])
def test_a_year_from_an_empty_queue_waits_as_a_simulated_queue(rho: float,
                                                                horizon: float) -> None:
    simulated = _lindley_mean_wait(rho, horizon, runs=300, seed=7)
    steady = rho / (1 - rho)  # M/M/1: Sakasegawa is exact for c = 1, ca² = cs² = 1
    assert sakasegawa_wq(rho, 1, 1.0, 1.0, 1.0, horizon_h=None) == pytest.approx(steady)
    assert simulated < 0.75 * steady  # the horizon matters here ...
    modelled = sakasegawa_wq(rho, 1, 1.0, 1.0, 1.0, horizon_h=horizon)
    assert modelled == pytest.approx(simulated, rel=0.08)  # ... and is modelled


def test_the_share_reached_runs_from_none_to_all() -> None:
    assert reached_share(0.0) == 0.0
    shares = [reached_share(u) for u in (0.01, 0.1, 1.0, 10.0, 100.0, 1e4)]
    assert shares == sorted(shares)
    assert shares[-1] == pytest.approx(1.0, abs=1e-3)
    # near 0 the mean of RBM grows like √(2t/π) while its steady state is 1/2: the share
    # averaged over [0, u] is (2/3)·2√(2u/π)
    assert reached_share(1e-4) == pytest.approx(4 / 3 * np.sqrt(2e-4 / np.pi), rel=0.05)


def test_the_waits_of_many_queues_at_once_are_each_queues_own() -> None:
    # the assignment asks for every queue's wait at once (one array operation for the share of
    # the steady state): the same numbers, bit for bit, as asking each queue alone
    rng = np.random.default_rng(7)
    fns: list[Callable[[float], float]] = []
    rhos: list[float] = []
    for i in range(600):
        if i % 3 == 0:
            fns.append(partial(vessel_wait_hours, vessels=float(rng.integers(0, 6)),
                               sailings_per_year=float(rng.choice([0.0, rng.uniform(1, 2000)]))))
        elif i % 3 == 1:
            fns.append(partial(sakasegawa_wq, servers=float(rng.integers(0, 5)),
                               service_h=rng.uniform(0.1, 30), ca2=1.0, cs2=0.25))
        else:  # not one of the module's: called as it is
            fns.append(partial(sakasegawa_wq, servers=2.0, service_h=3.0, horizon_h=None))
        rhos.append(float(rng.choice([0.0, -0.1, rng.uniform(0, 1.2), 0.97, 1e-9, 0.9999])))
    assert waits_of(fns, rhos) == [fn(rho) for fn, rho in zip(fns, rhos, strict=True)]
    u = np.concatenate([rng.uniform(0, 300, 500), [0.0, -1.0, 200.0, 200.0001, 1e-12]])
    assert reached_shares(u).tolist() == [reached_share(float(x)) for x in u]
