"""The vessel engine: bulk-service queues with known means, storm holds checked by hand."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from titr.sim.calendar import Closures
from titr.sim.plan import FleetSpec, SeaLine
from titr.sim.vessels import PortQueue, run_sea


def line(departure: str = "when-full", capacity: float = 10.0, vessels: int = 1,
         min_load: float = 1.0, headway: float | None = None, sail_h: float = 0.01,
         fixed_h: float = 0.0, per_unit_h: float = 0.0, bidirectional: bool = False
         ) -> SeaLine:
    fleet = FleetSpec("f", vessels, capacity, sail_h, fixed_h, per_unit_h)
    return SeaLine("l", "p", "q", 100.0, (fleet,), departure,  # type: ignore[arg-type]
                   headway, min_load, bidirectional)


def waits(ln: SeaLine, arrivals: np.ndarray, closures: Closures | None = None,
          berths: dict[str, int | None] | None = None, flush: float = math.inf):
    queue = PortQueue(arrivals, [np.ones(arrivals.size)])
    out = run_sea([ln], berths or {}, {"l": closures or Closures()}, {("l", False): queue},
                  flush, 1e12)
    sid = out.unit_sailing[("l", False)]
    taken = sid >= 0
    return out, (out.sailings["take"][sid[taken]] - arrivals[taken]), taken


def test_scheduled_ferry_takes_everyone_mean_wait_is_half_the_headway() -> None:
    # A vessel leaves every T hours with everyone waiting (capacity unbounded, instant
    # loading). Poisson arrivals fall uniformly inside a headway, so they wait T/2 on average.
    T = 10.0
    rng = np.random.default_rng(11)
    arrivals = np.cumsum(rng.exponential(1.0, 50_000))
    ln = line("schedule", capacity=1e9, headway=T)
    out, wait, taken = waits(ln, arrivals, flush=arrivals[-1])
    assert taken.all()
    departures = out.sailings["take"]
    assert np.allclose(departures / T, np.round(departures / T))  # on the schedule
    se = T / math.sqrt(12 * wait.size)
    assert abs(wait.mean() - T / 2) < 4 * se


def test_ferry_that_leaves_when_k_wait_mean_wait_is_k_minus_1_over_2_lambda() -> None:
    # Capacity K, departs as soon as K units wait, loading instant, a vessel always at the
    # berth. Units leave in consecutive groups of K: the j-th of a group (j = 1..K) waits for
    # the K - j arrivals after it, (K - j)/lambda on average; the mean over j is
    # (1/K) sum_{j=1..K} (K - j)/lambda = (K - 1) / (2 lambda).
    K, lam = 10, 2.0
    rng = np.random.default_rng(12)
    arrivals = np.cumsum(rng.exponential(1 / lam, 100_000))
    out, wait, taken = waits(line(capacity=K, vessels=20), arrivals)
    assert set(out.sailings["units"].tolist()) == {K}
    assert taken.sum() == arrivals.size - arrivals.size % K
    assert abs(wait.mean() - (K - 1) / (2 * lam)) / ((K - 1) / (2 * lam)) < 0.02


def test_storm_holds_the_departure_and_the_return_by_hand() -> None:
    # One vessel of 5, leaves full; loading 1 h (fixed); sails 10 h; 1 berth at p.
    ln = line(capacity=5, sail_h=10.0, fixed_h=1.0)
    arrivals = np.arange(1.0, 11.0)  # units at 1, 2, ..., 10 h
    storms = Closures([5.5, 30.5], [20.0, 35.0])
    out, _, taken = waits(ln, arrivals, storms, berths={"p": 1, "q": None})
    s = out.sailings
    # 1st: takes units 1-5 at 5, loaded at 6, storm until 20 (berth kept): leaves at 20,
    #      arrives at q at 30, unloaded at 31 but the storm holds it there until 35,
    #      back at p at 45.  2nd: takes units 6-10 at 45, loaded at 46, leaves at 46.
    assert s["take"].tolist() == [5.0, 45.0]
    assert s["loaded"].tolist() == [6.0, 46.0]
    assert s["depart"].tolist() == [20.0, 46.0]
    assert s["arrive"].tolist() == [30.0, 56.0]
    assert s["unload_end"].tolist() == [31.0, 57.0]
    assert taken.all()
    assert out.berth_use["p"][0].tolist() == [0.0, 45.0]  # berth held from arrival …
    assert out.berth_use["p"][1].tolist() == [20.0, 46.0]  # … to departure, storm included


def test_berths_are_taken_first_come_first_served() -> None:
    # Two vessels, one berth: the second waits at anchor until the first leaves.
    ln = line(capacity=2, vessels=2, sail_h=5.0, fixed_h=1.0)
    arrivals = np.array([1.0, 2.0, 3.0, 4.0])
    out, _, _ = waits(ln, arrivals, berths={"p": 1, "q": None})
    s = out.sailings
    assert s["vessel"].tolist() == [0, 1]
    assert s["take"].tolist() == [2.0, 4.0]  # vessel 1 berths at 3 (when 0 leaves), waits
    assert s["depart"].tolist() == [3.0, 5.0]
    assert out.berth_wait["p"][0].tolist() == [0.0] and out.berth_wait["p"][1].tolist() == [3.0]


def test_min_load_and_flush_at_the_end() -> None:
    ln = line(capacity=10, min_load=0.3)
    arrivals = np.array([1.0, 2.0, 3.0, 50.0])
    out, _, taken = waits(ln, arrivals, flush=100.0)
    # leaves with 3 when the 3rd arrives; the last unit never makes 3: it leaves at the flush
    assert out.sailings["take"].tolist() == [3.0, 100.0]
    assert out.sailings["units"].tolist() == [3, 1]
    assert taken.all()


def test_backhaul_boards_at_the_far_port() -> None:
    ln = line(capacity=5, sail_h=10.0, fixed_h=1.0, bidirectional=True)
    fwd = PortQueue(np.arange(1.0, 6.0), [np.ones(5)])
    back = PortQueue(np.array([0.5, 7.0, 40.0]), [np.ones(3)])
    out = run_sea([ln], {}, {}, {("l", False): fwd, ("l", True): back}, 30.0, 1e9)
    s = out.sailings
    # out at 6 (5 units, loaded by 6), at q 16, unloaded 17, takes the 2 waiting there,
    # loaded by 18, back at 28. No more units will board at p: after the flush (30) it sails
    # empty to fetch the unit that reaches q at 40, takes it at 40, back at 51.
    assert s["reverse"].tolist() == [0, 1, 0, 1]
    assert s["take"].tolist() == [5.0, 17.0, 30.0, 40.0]
    assert s["units"].tolist() == [5, 2, 0, 1]
    assert s["arrive"].tolist() == [16.0, 28.0, 40.0, 51.0]
    assert s["unload_end"].tolist() == [17.0, 29.0, 40.0, 52.0]
    assert out.unit_sailing[("l", True)].tolist() == [1, 1, 3]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_vessel_loop_invariants(data: st.DataObject) -> None:
    """Random lines, fleets, berths, storms and unit sizes: no vessel is overloaded, units
    board in order and after arriving, nobody sails while closed, berths are never exceeded."""
    n = data.draw(st.integers(1, 60))
    arrivals = np.sort(np.array(data.draw(st.lists(st.floats(0, 500), min_size=n,
                                                   max_size=n))))
    needs = np.array(data.draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=n,
                                        max_size=n)))
    fleets = tuple(FleetSpec(f"f{k}", data.draw(st.integers(1, 3)),
                             float(data.draw(st.integers(2, 8))), data.draw(st.floats(1, 20)),
                             data.draw(st.floats(0, 2)), data.draw(st.floats(0, 0.5)))
                   for k in range(data.draw(st.integers(1, 2))))
    rule = data.draw(st.sampled_from(["when-full", "schedule"]))
    ln = SeaLine("l", "p", "q", 100.0, fleets, rule,  # type: ignore[arg-type]
                 data.draw(st.floats(5, 50)) if rule == "schedule" else None,
                 data.draw(st.floats(0, 1)), True)
    starts = np.sort(np.array(data.draw(st.lists(st.floats(0, 600), max_size=5))))
    storms = Closures(starts, starts + data.draw(st.floats(1, 40)))
    berths = {"p": data.draw(st.sampled_from([None, 1, 2])), "q": data.draw(
        st.sampled_from([None, 1]))}
    back = np.sort(arrivals[::3] + 1.0)
    queues = {("l", False): PortQueue(arrivals, [needs] * len(fleets)),
              ("l", True): PortQueue(back, [np.ones(back.size)] * len(fleets))}
    out = run_sea([ln], berths, {"l": storms}, queues, 600.0, 5000.0)
    s = out.sailings
    caps = np.array([f.capacity for f in fleets])
    vessel_cap = np.concatenate([[f.capacity] * f.vessels for f in fleets])
    assert np.all(s["amount"] <= vessel_cap[s["vessel"]] + 1e-9)
    assert np.all(caps.max() + 1e-9 >= s["amount"])
    for t in s["depart"][np.isfinite(s["depart"])]:
        assert not storms.is_closed(float(t))
    assert np.all(s["depart"] >= s["loaded"]) and np.all(s["loaded"] >= s["take"])
    for key, arr in ((("l", False), arrivals), (("l", True), back)):
        sid = out.unit_sailing[key]
        taken = sid[sid >= 0]
        assert np.all(np.diff(taken) >= 0)  # first come, first served
        assert np.all(sid[: taken.size] >= 0)  # those taken are the first ones
        assert np.all(s["take"][taken] >= arr[: taken.size] - 1e-9)
        assert np.all(s["reverse"][taken] == int(key[1]))
        units = np.bincount(taken, minlength=s["take"].size)
        assert np.array_equal(units[s["reverse"] == int(key[1])],
                              s["units"][s["reverse"] == int(key[1])])
    for port, (bs, be) in out.berth_use.items():
        limit = berths[port]
        assert limit is not None
        for t in np.concatenate([bs, be]):
            assert np.sum((bs <= t) & (be > t)) <= limit
