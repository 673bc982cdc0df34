"""titr serve --scenario FILE: a corridor of the user's own, with the levers of its [study]."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import TEST_HOSTS, problem

from titr.model import TitrError, load
from titr.web import create_app
from titr.web.levers import apply_levers
from titr.web.limits import Limits
from titr.web.schemas import Levers
from titr.web.served import ENV, serve_files

NORTH_SOUTH = Path(__file__).parents[1] / "fixtures" / "north-south.toml"


@pytest.fixture(scope="module")
def served() -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV, "{}")  # restored when the module is done
        serve_files([NORTH_SOUTH])
        app = create_app(Limits(max_jobs=1, pool_workers=1), hosts=TEST_HOSTS,
                         first="north-south")
        with TestClient(app) as c:
            yield c


def test_the_served_file_comes_first_with_its_own_words(served: TestClient) -> None:
    names = [s["id"] for s in served.get("/api/scenarios").json()]
    assert names[0] == "north-south" and "middle-corridor" in names
    s = served.get("/api/scenarios/north-south").json()
    assert s["study"] == {"study_name": "North–South corridor",
                          "focus_label": "across the Khazar Sea", "focus_group": "trans-khazar"}
    levers = {d["key"]: d for d in s["levers"]}
    ships = levers["khazar_ships"]
    assert ships["study"] and ships["integer"] and (ships["min"], ships["max"]) == (0, 12)
    assert ships["base"] == 6  # the fleet as written, before the 2027 project
    closable = {o["id"] for o in levers["closed_corridor"]["options"]}
    assert closable == {"western-route", "suez-route"}  # not the focus group's corridor


def test_a_study_lever_sets_its_figure_from_the_what_if_year() -> None:
    sc = load(NORTH_SOUTH)
    s = apply_levers(sc, Levers(study={"khazar_ships": 10}, from_year=2026))
    vessels = {y: s.network(y).fleets["khazar-ships"].vessels.value for y in (2025, 2026, 2028)}
    # before the what-if year: 6 as written; from it: 10, and the planned +3 of 2027 is replaced
    assert vessels == {2025: 6, 2026: 10, 2028: 10}
    storms = apply_levers(sc, Levers(study={"khazar_storms": 7}))
    assert storms.network(2024).weather["khazar"].storms.events_per_year.value == 7


def test_the_api_checks_study_levers_against_the_scenarios_range(served: TestClient) -> None:
    r = served.post("/api/assessments", json={"scenario": "north-south", "first_year": 2026,
                                              "last_year": 2026,
                                              "levers": {"study": {"khazar_ships": 13}}})
    assert r.status_code == 422  # its range is in the schema: the body does not fit it
    p = problem(r)
    assert p["field"] == "body.levers.study.khazar_ships" and "at most 12" in p["fix"]
    r = served.post("/api/assessments", json={"scenario": "north-south", "first_year": 2026,
                                              "last_year": 2026,
                                              "levers": {"study": {"kz_ferries": 3}}})
    assert r.status_code == 422 and problem(r)["field"] == "body.levers.study.kz_ferries"
    ok = served.post("/api/assessments", json={"scenario": "north-south", "first_year": 2026,
                                               "last_year": 2026,
                                               "levers": {"study": {"khazar_ships": 10}}})
    assert ok.status_code == 200, ok.text


def test_a_file_cannot_take_a_built_in_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setenv(ENV, "{}")
    copy = tmp_path / "copy.toml"
    copy.write_text(NORTH_SOUTH.read_text().replace('id = "north-south"',
                                                    'id = "middle-corridor"', 1))
    with pytest.raises(TitrError) as e:
        serve_files([copy])
    assert "already offered" in e.value.problems[0].what


def test_serve_refuses_a_bad_file_before_it_listens(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nname = 3\n')
    r = subprocess.run([sys.executable, "-m", "titr", "serve", "--scenario", str(bad),
                        "--port", "18199"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "bad.toml" in r.stderr and "Traceback" not in r.stderr


def test_serve_refuses_a_lever_whose_range_the_scenario_cannot_take(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a border capacity must be positive, so a lever offering 0 would answer a request the
    # API schema allows with an error: the file is refused when the server starts
    monkeypatch.setenv(ENV, "{}")
    text = NORTH_SOUTH.read_text().replace('id = "north-south"', 'id = "own-range"', 1)
    lever = ('[[study.levers]]\nkey = "yalama_trains"\nlabel = "Yalama border"\n'
             'path = "nodes.yalama.border.capacity"\nunit = "trains/day"\nmin = 0\nmax = 30\n'
             'step = 1\n\n')
    own = tmp_path / "own.toml"
    own.write_text(text.replace("[parameters]", lever + "[parameters]", 1))
    with pytest.raises(TitrError) as e:
        serve_files([own])
    (p,) = e.value.problems
    assert (p.file, p.where) == (str(own), "study.levers.yalama_trains")
    assert "at 0 trains/day" in p.what and "min/max" in p.fix
    own.write_text(own.read_text().replace("min = 0\nmax = 30", "min = 1\nmax = 30"))
    assert [sc.id for sc in serve_files([own])] == ["own-range"]
