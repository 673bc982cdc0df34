"""Calibration recovers known parameters from synthetic observations, and says when it cannot."""

from __future__ import annotations

from typing import Any

import pytest

from tiny_support import fig, item
from titr.assign import assess
from titr.assign.calibrate import calibrate


def _observe(raw: dict[str, Any], tonnes: dict[int, float]) -> None:
    raw["observed"] = [{"id": f"t{y}", "quantity": "tonnes", "year": y,
                        "value": fig(t, "t"), "via": ["p-q"]} for y, t in tonnes.items()]


def _growing(raw: dict[str, Any]) -> None:
    item(raw, "demand", "a-z-box")["volume"] = [{"year": 2020, **fig(1000, "TEU/yr")},
                                                {"year": 2025, **fig(3000, "TEU/yr")}]


def test_recovers_a_known_market_size(vary) -> None:  # type: ignore[no-untyped-def]
    def truth(raw: dict[str, Any]) -> None:
        _growing(raw)
        raw["parameters"]["market_scale"] = fig(1.7, "1")
    observed = assess(vary(truth), range(2020, 2026)).totals.set_index("year").focus_t

    def start(raw: dict[str, Any]) -> None:
        _growing(raw)
        _observe(raw, observed.to_dict())
    cal = calibrate(vary(start), free=["market_scale"])
    assert cal.values["market_scale"] == pytest.approx(1.7, rel=1e-3)
    assert cal.rmse_pct < 0.1
    assert cal.identifiable["market_scale"] == "yes"


def test_unidentifiable_parameter_is_named(vary) -> None:  # type: ignore[no-untyped-def]
    # Captive cargo only: neither the logit scale nor the market size moves the volumes.
    def change(raw: dict[str, Any]) -> None:
        raw["demand"] = [{"id": "bulk", "origin": "a", "destination": "q", "cargo": "container",
                          "kind": "captive", "corridor": "middle",
                          "volume": [{"year": 2020, **fig(5000, "t/yr")}]}]
        _observe(raw, {2020: 5000.0, 2021: 5000.0})
    cal = calibrate(vary(change), free=["logit_scale", "market_scale"], max_evaluations=10)
    assert cal.identifiable["logit_scale"].startswith("no")
    assert cal.identifiable["market_scale"].startswith("no")


def test_recovers_a_known_avoiding_segment(vary) -> None:  # type: ignore[no-untyped-def]
    # shippers avoiding the northern group from 2021 move to the middle corridor (p-q): its
    # tonnes respond to the segment's share, so the share is recovered from them alone
    def avoiding(share: float) -> Any:
        def change(raw: dict[str, Any]) -> None:
            _growing(raw)
            raw["events"] = [{"id": "sanctions", "name": "Sanctions", "start": 2021,
                              "source": "HAND", "changes": [],
                              "avoided": [{"group": "northern", "share": fig(share, "1")}]}]
        return change
    observed = assess(vary(avoiding(0.4)), range(2020, 2024)).totals.set_index("year").focus_t

    def start(raw: dict[str, Any]) -> None:
        avoiding(0.1)(raw)
        _observe(raw, observed.to_dict())
    cal = calibrate(vary(start), free=["avoid:sanctions"], max_evaluations=20)
    assert cal.values["avoid:sanctions"] == pytest.approx(0.4, rel=1e-2)
    assert cal.identifiable["avoid:sanctions"] == "yes"


def test_free_parameter_names_parse_once_and_print_back() -> None:
    from titr.assign.calibrate import FreeParameter

    for name, kind, target in (("logit_scale", "parameter", "logit_scale"),
                               ("nest:sea", "nest", "sea"),
                               ("avoid:northern-sanctions-2022", "avoid",
                                "northern-sanctions-2022")):
        p = FreeParameter.parse(name)
        assert (p.kind, p.target, str(p)) == (kind, target, name)
