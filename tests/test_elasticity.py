"""Elasticities against the closed form of a two-corridor logit."""

from __future__ import annotations

import math

import pytest

from titr.assign.elasticity import elasticities
from titr.model.scenario import Scenario


def test_elasticities_match_the_binary_logit(tiny: Scenario) -> None:
    # tiny in 2020 (worked out in test_routing.py): middle 350 USD/t generalised (195 USD/t
    # money, 155 h × 1 USD/t/h) and northern 430 (300 USD/t money, 130 h); θ = 0.001, the
    # ferry nearly empty.
    e = elasticities(tiny, 2020).set_index("group")

    def share(middle: float, northern: float) -> float:
        return 1 / (1 + math.exp(-0.001 * (northern - middle)))
    s = share(350, 430)
    assert e.loc["middle", "share"] == pytest.approx(s, abs=2e-3)
    assert e.loc["northern", "cost_plus_10pct_points"] == pytest.approx(
        100 * ((1 - share(350, 430 + 30)) - (1 - s)), abs=0.2)
    assert e.loc["middle", "cost_plus_10pct_points"] == pytest.approx(
        100 * (share(350 + 19.5, 430) - s), abs=0.2)
    assert e.loc["middle", "plus_1_day_points"] == pytest.approx(
        100 * (share(350 + 24, 430) - s), abs=0.2)
