"""Closure calendars: merging, next opening, storms in their season, ice, opening hours."""

from __future__ import annotations

import numpy as np

from titr.sim.calendar import (
    MONTH_START_H,
    Closures,
    IceSpec,
    StormSpec,
    ice_closures,
    opening_hours,
    storm_closures,
)


def test_closures_merge_and_next_open() -> None:
    c = Closures([10.0, 5.0, 12.0, 30.0], [11.0, 10.0, 15.0, 31.0])
    assert c.starts.tolist() == [5.0, 12.0, 30.0]  # [5,10) and [10,11) touch: merged
    assert c.ends.tolist() == [11.0, 15.0, 31.0]
    assert c.next_open(4.0) == 4.0
    assert c.next_open(5.0) == 11.0
    assert c.next_open(11.0) == 11.0  # half-open: open again at the end
    assert c.next_open(14.9) == 15.0
    assert c.next_open_array(np.array([4.0, 7.0, 30.5, 40.0])).tolist() == [4, 11, 31, 40]
    assert c.total_hours() == 6 + 3 + 1
    assert c.total_hours(0, 13) == 6 + 1


def test_storms_start_only_in_their_months_and_count_right() -> None:
    spec = StormSpec(events_per_year=12.0, mean_duration_h=24.0, months=(1, 2, 11, 12))
    year_start, horizon = 720.0, 720.0 + 8760.0
    counts, durations = [], []
    for seed in range(40):
        c = storm_closures(spec, np.random.default_rng(seed), year_start, horizon)
        hour = np.mod(c.starts - year_start, 8760.0)
        month = np.searchsorted(MONTH_START_H, hour, side="right")
        assert set(month.tolist()) <= {1, 2, 11, 12}
        inside = (c.starts >= year_start) & (c.starts < horizon)
        counts.append(int(inside.sum()))
        durations += (c.ends - c.starts).tolist()
    # Poisson(12) a year (merging overlaps removes a few): mean of 40 years within ~3 SE
    assert abs(np.mean(counts) - 12.0) < 3 * np.sqrt(12.0 / 40) + 0.5
    assert 20.0 < np.mean(durations) < 30.0


def test_ice_season_wraps_over_new_year() -> None:
    spec = IceSpec(start_day=335, end_day=59)  # 1 Dec to 28 Feb
    year_start = 30 * 24.0
    c = ice_closures(spec, year_start, year_start + 8760.0)
    # warm-up (all December before the year) and the year: Jan-Feb, then 1 Dec onwards
    assert c.is_closed(0.0) and c.is_closed(year_start + 58 * 24 + 23)
    assert not c.is_closed(year_start + 59 * 24 + 1)
    assert c.is_closed(year_start + 334 * 24 + 1)
    assert c.total_hours(year_start, year_start + 8760) == (59 + 31) * 24


def test_opening_hours() -> None:
    c = opening_hours(8.0, 20.0, year_start=24.0, horizon=24.0 * 5)
    assert c.next_open(24.0 + 7.0) == 24.0 + 8.0
    assert c.next_open(24.0 + 9.0) == 24.0 + 9.0
    assert c.next_open(24.0 + 21.0) == 48.0 + 8.0
    night = opening_hours(22.0, 6.0, year_start=0.0, horizon=72.0)
    assert night.next_open(23.0) == 23.0 and night.next_open(12.0) == 22.0
