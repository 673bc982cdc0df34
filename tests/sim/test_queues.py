"""Queue recursions against closed forms (Erlang C, Pollaczek–Khinchine) and a brute force."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from titr.sim.calendar import Closures
from titr.sim.queues import infinite_servers, kiefer_wolfowitz, lindley, lindley_loop


def erlang_c_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c: C(c, a) / (c mu - lam), a = lam / mu."""
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    prob_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return prob_wait / (c * mu - lam)


def batch_mean_se(x: np.ndarray, batches: int = 20) -> tuple[float, float]:
    means = np.array([b.mean() for b in np.array_split(x, batches)])
    return float(x.mean()), float(means.std(ddof=1) / np.sqrt(batches))


def test_mmc_mean_wait_matches_erlang_c() -> None:
    c, lam, mu, n = 3, 2.4, 1.0, 200_000  # rho = 0.8
    expected = erlang_c_wait(c, lam, mu)
    assert abs(expected - 1.0787) < 1e-3
    for seed in (1, 2, 3):
        rng = np.random.default_rng(seed)
        a = np.cumsum(rng.exponential(1 / lam, n))
        s = rng.exponential(1 / mu, n)
        wait = (kiefer_wolfowitz(a, s, c) - a)[n // 20:]  # drop a short warm-up
        mean, se = batch_mean_se(wait)
        assert abs(mean - expected) < 4 * se
        assert abs(mean - expected) / expected < 0.06


def test_md1_mean_wait_matches_pollaczek_khinchine() -> None:
    lam, d, n = 1.0, 0.7, 200_000
    rho = lam * d
    expected = rho * d / (2 * (1 - rho))  # Wq = lam E[S^2] / (2 (1 - rho))
    for seed in (4, 5):
        rng = np.random.default_rng(seed)
        a = np.cumsum(rng.exponential(1 / lam, n))
        wait = (lindley(a, np.full(n, d)) - a)[n // 20:]
        mean, se = batch_mean_se(wait)
        assert abs(mean - expected) < 4 * se
        assert abs(mean - expected) / expected < 0.04


def brute_force(a: list[float], s: list[float], c: int, closures: Closures | None = None
                ) -> list[float]:
    """An independent event-by-event FIFO c-server station: servers as explicit slots."""
    busy_until = [-math.inf] * c
    starts = []
    for ai, si in zip(a, s, strict=True):
        # the customer takes the server that frees first (any free one if several are)
        k = min(range(c), key=lambda i: busy_until[i])
        t = max(ai, busy_until[k])
        if closures is not None:
            t = closures.next_open(t)
        starts.append(t)
        busy_until[k] = t + si
    return starts


times = st.lists(st.floats(0, 50, allow_nan=False), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(gaps=times, data=st.data(), c=st.integers(1, 5))
def test_kiefer_wolfowitz_equals_brute_force(gaps: list[float], data: st.DataObject,
                                             c: int) -> None:
    a = np.cumsum(gaps)
    s = np.array(data.draw(st.lists(st.floats(0, 30), min_size=len(gaps),
                                    max_size=len(gaps))))
    got = kiefer_wolfowitz(a, s, c)
    assert np.allclose(got, brute_force(a.tolist(), s.tolist(), c), rtol=0, atol=1e-9)
    # FIFO: starts never decrease; nobody starts before arriving; at most c in service
    assert np.all(np.diff(got) >= -1e-9) and np.all(got >= a - 1e-12)
    for t in got + 1e-9:  # (the vectorised single server is exact up to float rounding)
        assert np.sum((got <= t) & (got + s > t)) <= c


@settings(max_examples=50, deadline=None)
@given(gaps=times, data=st.data(), c=st.integers(1, 3))
def test_closures_stop_service_starts(gaps: list[float], data: st.DataObject, c: int) -> None:
    a = np.cumsum(gaps)
    s = np.array(data.draw(st.lists(st.floats(0, 10), min_size=len(gaps),
                                    max_size=len(gaps))))
    closed = Closures([5.0, 40.0, 100.0], [12.0, 41.0, 130.0])
    got = kiefer_wolfowitz(a, s, c, closed)
    assert np.allclose(got, brute_force(a.tolist(), s.tolist(), c, closed), atol=1e-9)
    for t in got:
        assert not closed.is_closed(float(t))


@settings(max_examples=50, deadline=None)
@given(gaps=times, data=st.data())
def test_vectorised_lindley_equals_loop(gaps: list[float], data: st.DataObject) -> None:
    a = np.cumsum(gaps)
    s = np.array(data.draw(st.lists(st.floats(0, 30), min_size=len(gaps),
                                    max_size=len(gaps))))
    assert np.allclose(lindley(a, s), lindley_loop(a, s), rtol=1e-12, atol=1e-9)


def test_infinite_servers_and_small_cases() -> None:
    a = np.array([1.0, 2.0, 3.0])
    assert np.array_equal(infinite_servers(a), a)
    assert np.array_equal(infinite_servers(a, Closures([1.5], [2.5])), [1.0, 2.5, 3.0])
    assert np.array_equal(kiefer_wolfowitz(a, np.array([5.0, 5.0, 5.0]), 2), [1.0, 2.0, 6.0])
    assert kiefer_wolfowitz(np.empty(0), np.empty(0), 3).size == 0


@settings(max_examples=40, deadline=None)
@given(gaps=times, data=st.data(), c=st.integers(1, 5), closed=st.booleans())
def test_compiled_station_equals_python_loop_to_the_bit(gaps: list[float], data: st.DataObject,
                                                        c: int, closed: bool) -> None:
    a = np.cumsum(gaps)
    s = np.array(data.draw(st.lists(st.floats(0, 30), min_size=len(gaps),
                                    max_size=len(gaps))))
    hours = Closures([5.0, 40.0, 100.0], [12.0, 41.0, 130.0]) if closed else None
    if c == 1 and hours is None:
        c = 2  # one server without closures takes the vectorised Lindley path instead
    compiled = kiefer_wolfowitz(a, s, c, hours)
    assert np.array_equal(compiled, kiefer_wolfowitz(a, s, c, hours, vectorise=False))
