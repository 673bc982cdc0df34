"""Events: changes in force from their start to their end, apart from projects."""

from __future__ import annotations

from typing import Any

import pytest

from tiny_support import fig
from titr.assign import assess
from titr.model.scenario import Scenario


def closure(raw: dict[str, Any], **span: Any) -> None:
    """An event that closes the northern link b–z (by raising its tariff prohibitively)."""
    raw["events"] = [{"id": "shock", "name": "Shock", "start": 2021, "source": "HAND",
                      "changes": [{"op": "set", "target": "links.b-z.tariff",
                                   "value": fig(9, "USD/t/km")}], **span}]


def tariff(sc: Scenario, year: int) -> float:
    return sc.network(year).links["b-z"].tariff.to("USD/t/km")  # type: ignore[union-attr]


def test_event_in_force_from_start_to_end_inclusive(vary) -> None:  # type: ignore[no-untyped-def]
    sc = vary(lambda raw: closure(raw, end=2022))
    assert [tariff(sc, y) for y in range(2020, 2025)] == [0.05, 9, 9, 0.05, 0.05]
    assert sc.network(2021).events == ("shock",)
    assert sc.network(2023).events == ()


def test_event_without_end_lasts_to_the_horizon(vary) -> None:  # type: ignore[no-untyped-def]
    sc = vary(closure)
    assert [tariff(sc, y) for y in (2020, 2021, 2025)] == [0.05, 9, 9]


def test_event_duration_mode_sets_its_end(vary) -> None:  # type: ignore[no-untyped-def]
    sc = vary(lambda raw: closure(raw, duration={"min": 1, "mode": 2, "max": 4,
                                                 "assumption": "test"}))
    assert [tariff(sc, y) for y in (2021, 2022, 2023)] == [9, 9, 0.05]


def test_events_are_listed_per_year_and_not_ranked_as_projects(vary) -> None:  # type: ignore[no-untyped-def]
    from titr.assign.project_value import project_values

    sc = vary(lambda raw: closure(raw, end=2022))
    res = assess(sc, [2020, 2021, 2023])
    assert list(res.totals.events) == ["", "shock", ""]
    assert res.events.to_dict("records")[0]["end"] == 2022
    assert set(project_values(sc, 2023).project) == {"more-ferries"}


def test_event_avoiding_segment_is_in_force_only_while_it_lasts(vary) -> None:  # type: ignore[no-untyped-def]
    def avoid(raw: dict[str, Any]) -> None:
        closure(raw, end=2022)
        raw["events"][0]["changes"] = []
        raw["events"][0]["avoided"] = [{"group": "northern", "share": fig(0.25, "1")}]

    sc = vary(avoid)
    assert [sc.network(y).avoided for y in (2020, 2021, 2022, 2023)] == \
        [{}, {"northern": 0.25}, {"northern": 0.25}, {}]


def test_event_end_before_start_is_refused(vary) -> None:  # type: ignore[no-untyped-def]
    from titr.model.errors import TitrError

    with pytest.raises((TitrError, ValueError)):
        vary(lambda raw: closure(raw, end=2019))


def test_a_lever_overriding_an_event_keeps_the_event_before_its_year(vary) -> None:  # type: ignore[no-untyped-def]
    """Closing a link from 2023 that an event (2021 on) re-prices: the event stays as it was
    up to 2022 and loses only that change from 2023."""
    from titr.web.levers import _events_without

    event = {"id": "shock", "start": 2021, "source": "HAND", "changes": [
        {"op": "set", "target": "links.b-z.tariff", "value": fig(9, "USD/t/km")},
        {"op": "set", "target": "links.a-b.tariff", "value": fig(1, "USD/t/km")}]}
    before, after = _events_without(event, 2023, ["links.b-z"])
    assert (before["start"], before["end"], len(before["changes"])) == (2021, 2022, 2)
    assert (after["id"], after["start"], after["changes"]) == (
        "shock-from-2023", 2023, [event["changes"][1]])
    assert "end" not in after
    assert _events_without(event, 2023, ["links.q-z"]) == [event]
