"""A temporary closure: the closed corridor's cargo re-splits, and arrives elsewhere only
while it lasts."""

from __future__ import annotations

import pytest

from titr.model.scenario import Scenario
from titr.studies.closure import closure_effect

DEMAND_T = 10_000.0  # tiny.toml: 1,000 TEU a year at 10 t/TEU from a to z


def test_closing_the_northern_sends_all_cargo_to_the_middle(tiny: Scenario) -> None:
    res = closure_effect(tiny, 2022, "northern", days=30, start_month=3, replications=3,
                         seed=5)
    v = res.volumes.set_index("corridor")
    assert v.loc["middle", "closed_t_per_day"] == pytest.approx(DEMAND_T / 365, rel=1e-6)
    assert v.loc["northern", "closed_t_per_day"] == 0
    # over the year, the northern loses a twelfth of its cargo and the middle gains it
    lost = v.loc["northern", "open_t_per_day"] * 365 / 12
    assert v.loc["northern", "annual_change_t"] == pytest.approx(-lost, rel=1e-6)
    assert v.loc["middle", "annual_change_t"] == pytest.approx(lost, rel=1e-6)
    k = res.kpis.set_index(["corridor", "period"]).units
    assert ("northern", "closure") not in k.index  # nothing enters the closed corridor
    # the middle gets its own month's cargo plus the northern's: about twice a normal month
    per_month = k[("middle", "rest of year")] / 11
    assert k[("middle", "closure")] > 1.5 * per_month


def test_unknown_corridor_is_refused(tiny: Scenario) -> None:
    from titr.model import TitrError

    with pytest.raises(TitrError, match="unknown corridor"):
        closure_effect(tiny, 2022, "silk-road")
