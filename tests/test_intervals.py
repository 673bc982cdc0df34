"""The one t-interval: checked against values worked out by hand from t tables."""

from __future__ import annotations

import math

import numpy as np
import pytest

from titr.model.intervals import t_half_width, t_interval


def test_two_values_use_t_with_one_degree_of_freedom() -> None:
    # x = 1, 3: mean 2, sd √2, t(0.975, 1) = 12.7062 (tables) → half = 12.7062·√2/√2
    mean, low, high = t_interval([1.0, 3.0])
    assert mean == 2.0
    assert high - mean == pytest.approx(12.7062, abs=1e-4)
    assert mean - low == pytest.approx(12.7062, abs=1e-4)


def test_five_values() -> None:
    # x = 2, 4, 4, 4, 6: mean 4, sd √2, t(0.975, 4) = 2.7764 → half = 2.7764·√2/√5
    _, low, high = t_interval(np.array([2, 4, 4, 4, 6]))
    assert (high - low) / 2 == pytest.approx(2.7764 * math.sqrt(2) / math.sqrt(5), abs=1e-4)


def test_one_value_has_no_interval_and_non_finite_values_are_left_out() -> None:
    mean, low, high = t_interval([5.0, float("nan"), float("inf")])
    assert mean == 5.0 and math.isnan(low) and math.isnan(high)
    assert all(math.isnan(v) for v in t_interval([]))


def test_arrays_elementwise_match_the_scalar_form() -> None:
    sd, n = np.array([1.0, 2.0, 3.0]), np.array([1, 2, 10])
    half = t_half_width(sd, n)
    assert math.isnan(half[0])
    assert half[1] == t_half_width(2.0, 2) and half[2] == t_half_width(3.0, 10)
    assert half[2] == pytest.approx(2.2622 * 3 / math.sqrt(10), abs=1e-4)  # t(0.975, 9)
