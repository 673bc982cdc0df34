"""Backtests use nothing after the cut-off: not in demand, parameters or project dates."""

from __future__ import annotations

from typing import Any

import pytest

from tiny_support import fig, item
from titr.assign import assess
from titr.assign.backtest import as_known_in, backtest


def _setup(raw: dict[str, Any], late_tonnes: float = 99_000.0) -> None:
    item(raw, "demand", "a-z-box")["volume"] = [
        {"year": 2020, **fig(1000, "TEU/yr")}, {"year": 2021, **fig(1500, "TEU/yr")},
        {"year": 2023, **fig(9000, "TEU/yr")},  # only known after the cut-off
        {"year": 2025, **fig(4000, "TEU/yr"), "known_from": 2021}]  # a plan known in 2021
    raw["observed"] = [
        {"id": f"t{y}", "quantity": "tonnes", "year": y, "value": fig(t, "t"), "via": ["p-q"]}
        for y, t in ((2020, 6000.0), (2021, 8000.0), (2023, late_tonnes))]
    raw["observed"].append({"id": "v2021", "quantity": "tonnes", "year": 2021,
                            "value": fig(7000, "t"), "via": ["p-q"], "set": "validation"})


def test_only_what_was_known_enters_the_inputs(vary) -> None:  # type: ignore[no-untyped-def]
    def change(raw: dict[str, Any]) -> None:
        _setup(raw)
        raw["events"] = [{"id": "late", "start": 2024, "source": "HAND", "changes": [
            {"op": "set", "target": "links.b-z.tariff", "value": fig(9, "USD/t/km")}]},
            {"id": "foreseen", "start": 2024, "known_from": 2021, "source": "HAND",
             "changes": [{"op": "set", "target": "links.b-z.tariff",
                          "value": fig(8, "USD/t/km")}]}]
        raw["projects"][0]["known_from"] = 2023  # more-ferries (opens 2023) announced 2023
    known = as_known_in(vary(change), 2022)
    assert [p.year for p in known.demand[0].volume] == [2020, 2021, 2025]
    assert [p.id for p in known.projects] == []
    assert [e.id for e in known.events] == ["foreseen"]


def test_observations_after_the_cut_off_do_not_move_the_fit(vary) -> None:  # type: ignore[no-untyped-def]
    a = backtest(vary(lambda raw: _setup(raw, 99_000.0)), 2022, free=["market_scale"],
                 max_evaluations=15)
    b = backtest(vary(lambda raw: _setup(raw, 1.0)), 2022, free=["market_scale"],
                 max_evaluations=15)
    assert a.calibration.values == b.calibration.values
    sets = dict(zip(a.table.observation, a.table["set"], strict=True))
    assert sets == {"t2020": "fit", "t2021": "fit", "v2021": "validation", "t2023": "forecast"}
    # the forecast row compares the unchanged model with each observed value
    late = a.table.set_index("observation").loc["t2023"]
    assert late.observed == 99_000.0
    assert late.modelled == pytest.approx(
        b.table.set_index("observation").loc["t2023"].modelled)


def test_validation_observations_do_not_move_the_fit(vary) -> None:  # type: ignore[no-untyped-def]
    def changed(raw: dict[str, Any]) -> None:
        _setup(raw)
        raw["observed"][-1]["value"] = fig(1, "t")
    a = backtest(vary(_setup), 2022, free=["market_scale"], max_evaluations=15)
    b = backtest(vary(changed), 2022, free=["market_scale"], max_evaluations=15)
    assert a.calibration.values == b.calibration.values


def test_the_forecast_uses_the_known_demand(vary) -> None:  # type: ignore[no-untyped-def]
    # with the 2023 point unknown, 2023 demand is interpolated 2021 → 2025 (known in 2021):
    # 1500 + (4000 − 1500) × 2/4 = 2750 TEU = 27,500 t at 10 t/TEU
    known = as_known_in(vary(_setup), 2022)
    res = assess(known, [2023])
    assert res.demand.demand_t.iloc[0] == pytest.approx(27_500)


def test_ex_post_forecasts_with_the_inputs_as_they_turned_out(vary) -> None:  # type: ignore[no-untyped-def]
    # the 2023 point (9,000 TEU) was not known in 2022: the plain backtest interpolates
    # 2021 → 2025 (27,500 t in 2023), the ex-post one uses it (90,000 t at 10 t/TEU). The fit
    # sees the same inputs and observations up to 2022 either way, so it finds the same values.
    plain = backtest(vary(_setup), 2022, free=["market_scale"], max_evaluations=15)
    after = backtest(vary(_setup), 2022, free=["market_scale"], max_evaluations=15,
                     ex_post=True)
    assert after.ex_post and not plain.ex_post
    assert after.calibration.values == plain.calibration.values
    assert after.dropped == {"demand_points": [], "projects": [], "events": []}
    assert plain.dropped["demand_points"] == ["a-z-box@2023"]
    scale = after.calibration.values["market_scale"]
    demand_2023 = assess(after.calibration.scenario, [2023]).demand.demand_t.iloc[0]
    assert demand_2023 == pytest.approx(90_000 * scale)
