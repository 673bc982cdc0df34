"""The unit table, checked against conversions worked out by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from titr.model import units


@pytest.mark.parametrize(("value", "src", "dst", "expected"), [
    (1, "Mt/yr", "t/d", 1e6 / 365),
    (14, "kn", "km/h", 14 * 1.852),
    (1, "FEU", "TEU", 2),
    (60, "trains/day", "trains/yr", 60 * 365),
    (100, "gCO2/t/km", "tCO2/t/km", 1e-4),
    (3, "%/yr", "1/yr", 0.03),
    (1500, "km/d", "km/h", 62.5),
    (2, "wk", "h", 336),
])
def test_conversions(value: float, src: str, dst: str, expected: float) -> None:
    assert units.convert(value, src, dst) == pytest.approx(expected)


def test_units_that_do_not_fit_are_refused() -> None:
    with pytest.raises(units.UnitError):
        units.convert(1, "bbl", "TEU")
    with pytest.raises(units.UnitError):
        units.convert(1, "km", "h")


@pytest.mark.parametrize("text", ["", "parsecs", "t//km", "km h"])
def test_unreadable_units(text: str) -> None:
    with pytest.raises(units.UnitError):
        units.parse(text)


def test_counters_are_reported() -> None:
    assert units.parse("USD/TEU/km").counters() == {"TEU"}
    assert units.parse("t/yr").counters() == set()


@given(st.floats(min_value=1e-6, max_value=1e9), st.sampled_from(
    [("Mt/yr", "kt/d"), ("USD/FEU", "USD/TEU"), ("km/d", "kn"), ("gCO2/TEU/km", "kgCO2/TEU/km")]))
def test_round_trip(value: float, pair: tuple[str, str]) -> None:
    a, b = pair
    assert units.convert(units.convert(value, a, b), b, a) == pytest.approx(value)


def test_time_constants_are_the_units_of_the_time_atoms() -> None:
    from titr.model.units import DAYS_PER_YEAR, HOURS_PER_DAY, HOURS_PER_YEAR, convert

    assert (HOURS_PER_DAY, DAYS_PER_YEAR, HOURS_PER_YEAR) == (24.0, 365.0, 8760.0)
    assert convert(1, "yr", "h") == HOURS_PER_YEAR
    assert convert(1, "day", "h") == HOURS_PER_DAY
