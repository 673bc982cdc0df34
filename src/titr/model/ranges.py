"""Sane bands for the numbers of a scenario, checked when it is validated.

The item models refuse values of the wrong kind or sign; these bands also refuse values that
are of the right kind but absurd (a logit scale of 1e308 per USD, a seed below zero, demand
below zero), so that every number that passes ``titr validate`` also runs. Each message
states the band and how to get inside it.
"""

from __future__ import annotations

from collections.abc import Callable

from titr.model.errors import Problem
from titr.model.scenario import Scenario

SEED_MAX = 2**32 - 1  # numpy's classic seed range; a seed is any whole number in 0 … SEED_MAX
DATA_YEARS = (1900, 2200)  # years of demand points and observations
FIGURE_MAX = 1e12  # no figure of a corridor is this large in its own unit
# parameter → (low, high, unit, low included)
PARAMETER_BANDS: dict[str, tuple[float, float, str, bool]] = {
    "logit_scale": (1e-6, 10.0, "1/USD", True),
    "market_scale": (0.0, 100.0, "1", True),
    "vot_scale": (0.0, 100.0, "1", True),
    "co2_price": (0.0, 10_000.0, "USD/tCO2", True),
    "unserved_penalty": (0.0, 1e6, "USD/t", True),
    "technical_availability": (0.0, 1.0, "1", False),
}
GROWTH_BAND = (-1.0, 1.0)  # per year: −100 %/yr … +100 %/yr


def check_ranges(sc: Scenario) -> list[Problem]:
    """Every number outside its band, as problems (empty: all inside)."""
    out: list[Problem] = []

    def bad(where: str, what: str, fix: str) -> None:
        out.append(Problem(sc.path, where, what, fix))

    if not 0 <= sc.seed <= SEED_MAX:
        bad("seed", f"seed {sc.seed} is outside 0 … {SEED_MAX}",
            f"give a whole number from 0 to {SEED_MAX}")
    _parameters(sc, bad)
    for where, fig in sc.figures():
        if abs(fig.value) > FIGURE_MAX and not where.startswith("parameters."):
            bad(where, f"{fig.value:g} {fig.unit} is beyond ±{FIGURE_MAX:g}, larger than any "
                "figure of a corridor", "check the value and its unit")
    for d in sc.demand:
        for p in d.volume:
            _year(bad, f"demand[{d.id}].volume[{p.year}].year", p.year)
            if p.value < 0:
                bad(f"demand[{d.id}].volume[{p.year}]", f"demand volume {p.value:g} {p.unit} "
                    "is negative", "give zero or a positive volume")
        if d.growth is not None:
            g = d.growth.to("1/yr")
            low, high = GROWTH_BAND
            if not low <= g <= high:
                bad(f"demand[{d.id}].growth", f"growth {d.growth.value:g} {d.growth.unit} is "
                    f"outside {100 * low:g} … {100 * high:g} %/yr",
                    "give a yearly growth inside that band")
    for o in sc.observed:
        _year(bad, f"observed[{o.id}].year", o.year)
        if o.value.value <= 0:
            bad(f"observed[{o.id}].value", f"an observed figure must be above zero (got "
                f"{o.value.value:g})", "give the observed value, or drop the observation")
    return out


def _year(bad: Callable[[str, str, str], None], where: str, year: int) -> None:
    low, high = DATA_YEARS
    if not low <= year <= high:
        bad(where, f"year {year} is outside {low} … {high}", "check the year (a typo?)")


def _parameters(sc: Scenario, bad: Callable[[str, str, str], None]) -> None:
    for name, (low, high, unit, low_ok) in PARAMETER_BANDS.items():
        fig = getattr(sc.parameters, name)
        v = fig.to(unit)
        if v > high or v < low or (v == low and not low_ok):
            left = "[" if low_ok else "("
            bad(f"parameters.{name}", f"{fig.value:g} {fig.unit} is outside the sane band "
                f"{left}{low:g}, {high:g}] {unit}", f"give a value inside {left}{low:g}, "
                f"{high:g}] {unit}")
