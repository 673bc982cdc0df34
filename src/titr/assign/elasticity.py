"""Elasticities of route choice: how each corridor group's share of the contestable pool
answers a 10 % dearer tariff bill or one more day on that group's corridors."""

from __future__ import annotations

import pandas as pd

from titr.assign.assess import assess
from titr.assign.year import Options
from titr.model.scenario import Scenario
from titr.model.units import HOURS_PER_DAY

COST_STEP = 0.10  # +10 % on the money cost of the group's paths
DAY_STEP = 1.0  # +1 day on the group's paths


def _shares(sc: Scenario, year: int, shift: dict[str, tuple[float, float]] | None) -> pd.Series:
    g = assess(sc, [year], options=Options(shift=shift)).groups
    return g.set_index("group").share


def elasticities(sc: Scenario, year: int) -> pd.DataFrame:
    """One row per corridor group: its share, the share with its money cost +10 % and with
    +1 day (in percentage points of the pool), and the arc elasticity to cost."""
    base = _shares(sc, year, None)
    rows = []
    for group in base.index:
        dearer = _shares(sc, year, {group: (1.0 + COST_STEP, 0.0)})
        slower = _shares(sc, year, {group: (1.0, HOURS_PER_DAY * DAY_STEP)})
        s0 = float(base[group])
        rows.append({"year": year, "group": group, "share": s0,
                     "cost_plus_10pct_points": 100 * (float(dearer[group]) - s0),
                     "plus_1_day_points": 100 * (float(slower[group]) - s0),
                     "cost_elasticity": (float(dearer[group]) - s0) / s0 / COST_STEP
                     if s0 > 0 else float("nan")})
    return pd.DataFrame(rows)
