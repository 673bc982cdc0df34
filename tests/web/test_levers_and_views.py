"""The pieces behind the API, in Python: levers → scenario, the report blobs of the views, and
the simulation job against `titr.simulate`."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import titr
from titr.model import TitrError
from titr.model.loader import builtin_names
from titr.report.page_data import report_data
from titr.web import compute, views
from titr.web.levers import apply_levers, range_problems
from titr.web.schemas import Levers


@pytest.fixture(scope="module")
def sc() -> titr.model.Scenario:
    return compute.base_scenario("middle-corridor")


def _vessels(sc: titr.model.Scenario, year: int) -> float | None:
    fleet = sc.network(year).fleets.get("kz-ferries")
    return None if fleet is None else fleet.vessels.value


def _aktau_teu(sc: titr.model.Scenario, year: int) -> float:
    node = sc.network(year).nodes["aktau"]
    return next(h.capacity.value for h in node.handling if h.id == "containers")


def test_no_lever_leaves_the_scenario_alone(sc: titr.model.Scenario) -> None:
    assert apply_levers(sc, Levers()) is sc
    assert apply_levers(sc, Levers(from_year=2030)) is sc


def test_ferries_replace_the_planned_deliveries(sc: titr.model.Scenario) -> None:
    assert [_vessels(sc, y) for y in (2025, 2026, 2027, 2030)] == [None, 2, 4, 6]
    s = apply_levers(sc, Levers(study={"kz_ferries": 5}))
    assert [_vessels(s, y) for y in (2025, 2026, 2027, 2030)] == [None, 5, 5, 5]
    # the fleet arrives in 2026
    early = apply_levers(sc, Levers(study={"kz_ferries": 5}, from_year=2020))
    assert _vessels(early, 2025) is None and _vessels(early, 2026) == 5
    assert any(p.id == "what-if-2026" for p in s.projects)


def test_port_capacity_from_the_what_if_year(sc: titr.model.Scenario) -> None:
    s = apply_levers(sc, Levers(study={"aktau_container_teu": 90_000}, from_year=2027))
    assert _aktau_teu(s, 2026) == _aktau_teu(sc, 2026)
    assert _aktau_teu(s, 2027) == _aktau_teu(s, 2035) == 90_000


def test_closure_removes_the_corridor_from_its_year(sc: titr.model.Scenario) -> None:
    s = apply_levers(sc, Levers(closed_corridor="northern", from_year=2027))
    assert "northern-rail" in s.network(2026).links
    assert "northern-rail" not in s.network(2027).links
    # the Red Sea event takes Suez away in 2024–25: closed from 2025, it stays away after
    suez = apply_levers(sc, Levers(closed_corridor="suez", from_year=2025))
    gone = {"shanghai-suez", "suez-piraeus", "suez-rotterdam"}
    assert gone <= set(sc.network(2026).links)
    assert not gone & (set(suez.network(2025).links) | set(suez.network(2026).links))
    with pytest.raises(TitrError) as e:
        apply_levers(sc, Levers(closed_corridor="middle"))  # the focus group's own
    assert e.value.problems[0].where == "levers.closed_corridor"


def test_parameters(sc: titr.model.Scenario) -> None:
    s = apply_levers(sc, Levers(market_factor=2, study={"storm_events": 7}, co2_price=50))
    assert s.parameters.market_scale.value == pytest.approx(2 * sc.parameters.market_scale.value)
    assert s.parameters.co2_price.value == 50
    storms = next(w for w in s.weather if w.id == "caspian").storms
    assert storms is not None and storms.events_per_year.value == 7


def test_compare_blob_is_the_reports_own() -> None:
    a = compute.assess_task({"first_year": 2026, "last_year": 2026})
    b = compute.assess_task({"first_year": 2026, "last_year": 2026,
                             "levers": {"study": {"kz_ferries": 8}}})
    mine = views.compare_blob(json.loads(compute.blob_task(a.res, a.extras)),
                              json.loads(compute.blob_task(b.res, b.extras)))
    theirs = json.loads(json.dumps(report_data([(a.res, a.extras), (b.res, b.extras)])))
    assert mine == theirs
    page = views.page(mine)
    assert page.count("<script src=") == 4 and '<link rel="stylesheet"' in page


def test_simulation_job_is_titr_simulate() -> None:
    seen: list[str] = []
    out = compute.simulation_job({"year": 2026, "replications": 2, "seed": 11},
                                 lambda f, m: seen.append(m))
    ref = titr.simulate(compute.base_scenario("middle-corridor"), 2026, replications=2,
                        seed=11, keep_units=False)
    pd.testing.assert_frame_equal(out["kpis"], compute.kpi_table(ref.kpis))
    assert seen[:3] == ["assigning 2026", "replication 1 of 2", "replication 2 of 2"]


@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_lever_takes_both_ends_of_its_range(name: str) -> None:
    # the API schema offers each lever's whole range, so each end must give a valid scenario
    assert range_problems(compute.base_scenario(name)) == []
