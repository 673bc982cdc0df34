"""The JSON API in-process (FastAPI TestClient): the happy paths, and every kind of 4xx with a
message that names the field and the fix."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import duckdb
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_support import TEST_HOSTS, YEARS, problem

from titr.web import create_app
from titr.web.limits import Limits


def test_health_and_scenarios(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    names = [s["id"] for s in client.get("/api/scenarios").json()]
    assert "middle-corridor" in names
    s = client.get("/api/scenarios/middle-corridor").json()
    assert (s["first_year"], s["last_year"]) == (2019, 2035)
    levers = {lv["key"]: lv for lv in s["levers"]}
    assert set(levers) == {"kz_ferries", "aktau_container_teu", "storm_events", "market_factor",
                           "co2_price", "closed_corridor"}
    assert levers["kz_ferries"]["base"] == 2 and levers["storm_events"]["base"] == 3
    assert "northern" in [o["id"] for o in levers["closed_corridor"]["options"]]


def test_network_geojson_as_of_a_year(client: TestClient) -> None:
    r = client.get("/api/scenarios/middle-corridor/network", params={"year": 2030})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    feats = r.json()["features"]
    kinds = {f["geometry"]["type"] for f in feats}
    assert kinds == {"Point", "LineString"}
    ferry = next(f for f in feats if f["properties"]["id"] == "kuryk-alat-ferry")
    assert ferry["properties"]["mode"] == "sea"
    early = client.get("/api/scenarios/middle-corridor/network", params={"year": 2019}).json()
    assert len(early["features"]) < len(feats)  # projects add places and links


def test_routes_between_two_places(client: TestClient) -> None:
    r = client.get("/api/scenarios/middle-corridor/routes",
                   params={"origin": "xian", "destination": "duisburg", "year": 2026})
    assert r.status_code == 200
    corridors = {row["corridor"] for row in r.json()}
    assert {"middle-aktau", "northern"} <= corridors


def test_assessment_and_its_cache(client: TestClient, plan_run: dict[str, Any]) -> None:
    assert plan_run["years"] == [2025, 2026, 2027, 2028]
    assert [t["year"] for t in plan_run["totals"]] == plan_run["years"]
    assert plan_run["view"] == f"/view/{plan_run['id']}"
    again = client.post("/api/assessments", json={**YEARS, "label": "again"}).json()
    assert again["cached"] and again["id"] != plan_run["id"] and again["label"] == "again"
    assert again["totals"] == plan_run["totals"]
    assert client.get(f"/api/assessments/{plan_run['id']}").json()["id"] == plan_run["id"]
    assert plan_run["id"] in [r["id"] for r in client.get("/api/assessments").json()]


def _totals(run: dict[str, Any], year: int) -> dict[str, Any]:
    return next(t for t in run["totals"] if t["year"] == year)


def test_levers_change_the_answer(client: TestClient, plan_run: dict[str, Any],
                                  ferries_run: dict[str, Any]) -> None:
    # ferries arrive from 2026: 2025 is history and stays; the Caspian carries more later
    assert _totals(ferries_run, 2025) == _totals(plan_run, 2025)
    assert _totals(ferries_run, 2026)["focus_t"] > _totals(plan_run, 2026)["focus_t"]
    closed = client.post("/api/assessments", json={
        "first_year": 2026, "last_year": 2026,
        "levers": {"closed_corridor": "northern", "co2_price": 100}}).json()
    vol = {v["corridor"]: v["tonnes"] for v in closed["volumes"]}
    assert vol.get("northern", 0.0) == 0.0
    assert closed["levers"] == {"closed_corridor": "northern", "co2_price": 100.0}


def test_downloads(client: TestClient, plan_run: dict[str, Any], tmp_path: Any) -> None:
    d = plan_run["downloads"]
    csv = client.get(d["csv"]["totals"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert list(pd.read_csv(io.StringIO(csv.text)).year) == plan_run["years"]
    geo = client.get(d["geojson"], params={"year": 2027})
    assert geo.status_code == 200 and geo.json()["type"] == "FeatureCollection"
    db = client.get(d["duckdb"])
    assert db.status_code == 200 and "attachment" in db.headers["content-disposition"]
    path = tmp_path / "run.duckdb"
    path.write_bytes(db.content)
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    con.close()
    assert {"totals", "flows", "utilisation", "meta", "scenario_info"} <= tables


def test_compare_two_runs(client: TestClient, plan_run: dict[str, Any],
                          ferries_run: dict[str, Any]) -> None:
    r = client.get("/api/compare", params={"a": plan_run["id"], "b": ferries_run["id"]})
    assert r.status_code == 200
    cmp = r.json()
    assert cmp["levers"] == [{"lever": "kz_ferries", "a": None, "b": 10}]
    row = next(x for x in cmp["rows"] if x["year"] == 2027 and x["metric"] == "focus_t")
    assert row["diff"] == pytest.approx(row["b"] - row["a"]) and row["diff"] > 0
    page = client.get(cmp["view"])
    assert page.status_code == 200 and "titr comparison" in page.text


def test_view_pages_link_the_served_libraries(client: TestClient,
                                              plan_run: dict[str, Any]) -> None:
    page = client.get(plan_run["view"]).text
    for src in ("/static/lib/plotly.min.js", "/static/vendor/leaflet.js",
                "/static/vendor/topojson-client.min.js", "/static/lib/report.js"):
        assert f'src="{src}"' in page
        assert client.get(src).status_code == 200
    assert 'src="http' not in page and 'href="http' not in page
    assert len(page) < 3_000_000  # plotly.js is linked, not inlined
    assert client.get("/static/vendor/countries-50m.json").status_code == 200
    assert client.get("/").status_code == 200 and "Run assessment" in client.get("/").text


def test_docs_work_offline(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/assessments" in docs.text and "study" in docs.text
    assert "<script" not in docs.text  # nothing to load from anywhere
    assert client.get("/openapi.json").json()["info"]["title"] == "titr"
    assert client.get("/redoc").status_code == 404


@pytest.mark.parametrize(("payload", "field", "fix"), [
    ({"levers": {"study": {"Kz Ferries": 1}}}, "body.levers.study.Kz Ferries", "own levers"),
    ({"levers": {"ferries": 4}}, "body.levers.ferries", "remove it"),
    ({"levers": {"co2_price": "lots"}}, "body.levers.co2_price", "type"),
    ({"levers": {"co2_price": True}}, "body.levers.co2_price", "type"),
    ({"first_year": "2026"}, "body.first_year", "type"),
    ({"first_year": 2030, "last_year": 2026}, "body", "swap them"),
    ({"scenario": "../etc/passwd"}, "body.scenario", "use one of: middle-corridor,"),
    ({"label": "x" * 81}, "body.label", "at most"),
])
def test_422_names_the_field_and_the_fix(client: TestClient, payload: dict[str, Any],
                                         field: str, fix: str) -> None:
    r = client.post("/api/assessments", json=payload)
    assert r.status_code == 422
    p = problem(r)
    assert p["field"] == field and fix in p["fix"], p


@pytest.mark.parametrize(("payload", "field", "fix"), [
    # the scenario's horizon 2019–2035, its competing corridors, its own levers and ranges:
    # all in the schema (one body model per scenario), so refused as not fitting it
    ({"first_year": 2010}, "body.first_year", "at least 2019"),
    ({"first_year": 2030, "last_year": 2040}, "body.last_year", "at most 2035"),
    ({"levers": {"closed_corridor": "middle-aktau"}}, "body.levers.closed_corridor",
     "'northern', 'suez', 'cape'"),
    ({"levers": {"study": {"kz_ferries": 4}, "from_year": 2050}}, "body.levers.from_year",
     "at most 2035"),
    ({"levers": {"study": {"kz_ferries": 21}}}, "body.levers.study.kz_ferries", "at most 20"),
    ({"levers": {"study": {"kz_ferries": 2.5}}}, "body.levers.study.kz_ferries", "whole"),
    ({"levers": {"study": {"ferry_speed": 4}}}, "body.levers.study.ferry_speed", "own levers"),
    ({"scenario": "nowhere"}, "body.scenario", "use one of"),
])
def test_422_for_values_this_scenario_cannot_take(client: TestClient, payload: dict[str, Any],
                                                  field: str, fix: str) -> None:
    r = client.post("/api/assessments", json=payload)
    assert r.status_code == 422, r.text
    p = problem(r)
    assert p["field"] == field and fix in p["fix"], p


def _keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield k
            if k != "properties":  # property names are not keywords
                yield from _keys(v)
            else:
                for sub in v.values():
                    yield from _keys(sub)
    elif isinstance(tree, list):
        for v in tree:
            yield from _keys(v)


def test_the_schema_states_each_scenarios_own_bounds(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/api/assessments"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    names = [s["id"] for s in client.get("/api/scenarios").json()]
    assert [b["$ref"].split("/")[-1] for b in body["oneOf"]] == [
        "AssessmentRequest_" + n.replace("-", "_") for n in names]
    mc = schemas["AssessmentRequest_middle_corridor"]
    assert mc["properties"]["scenario"]["const"] == "middle-corridor"
    assert "scenario" not in mc.get("required", [])  # the default: may be left out
    assert schemas["AssessmentRequest_middle_corridor_wb2030"]["required"] == ["scenario"]
    first = mc["properties"]["first_year"]["anyOf"][0]
    assert (first["minimum"], first["maximum"]) == (2019, 2035)  # the file's horizon
    # last_year ≥ first_year (and at most 20 years), as branches beside the oneOf: with
    # first_year 2030, last_year from 2030 (to 2049; the horizon's 2035 is the model's bound)
    branch = next(b for b in body["anyOf"] if b["properties"].get("first_year", {}).get(
        "const") == 2030)
    assert branch["properties"]["last_year"] == {"minimum": 2030, "maximum": 2049}
    # every bound as JSON Schema states it (pydantic writes "ge"/"le" where it cannot)
    assert not {"ge", "le", "gt", "lt"} & set(_keys(spec))
    study = schemas["Study_middle_corridor"]
    assert study["additionalProperties"] is False
    ferries = study["properties"]["kz_ferries"]  # its [study] lever: 0–20 vessels, whole
    assert (ferries["type"], ferries["minimum"], ferries["maximum"], ferries["multipleOf"]) \
        == ("number", 0, 20, 1)
    levers = schemas["Levers_middle_corridor"]["properties"]
    summary = client.get("/api/scenarios/middle-corridor").json()
    competing = [c["id"] for c in summary["corridors"]
                 if c["group"] != summary["study"]["focus_group"]]
    assert "northern" in competing and "middle-aktau" not in competing
    assert levers["closed_corridor"]["anyOf"][0]["enum"] == competing


def test_a_corridor_an_event_closes_for_a_while_can_be_closed_for_good(
        client: TestClient) -> None:
    # the Red Sea event takes Suez's links away in 2024–25; closing Suez from 2024 keeps
    # them away afterwards too (and in red-sea-persists it is closed already: nothing to do)
    for scenario, year in (("middle-corridor", 2024), ("middle-corridor-red-sea-persists",
                                                       2026)):
        r = client.post("/api/assessments", json={
            "scenario": scenario, "first_year": 2026, "last_year": 2027,
            "levers": {"from_year": year, "closed_corridor": "suez"}})
        assert r.status_code == 200, r.text
        vol = {(v["year"], v["corridor"]): v["tonnes"] for v in r.json()["volumes"]}
        assert vol.get((2026, "suez"), 0.0) == vol.get((2027, "suez"), 0.0) == 0.0


def test_reads_of_what_the_scenario_does_not_have_are_404(client: TestClient) -> None:
    base = "/api/scenarios/middle-corridor"
    for params, field in (({"origin": "atlantis"}, "origin"), ({"cargo": "gold"}, "cargo"),
                          ({"year": 2000}, "year")):
        r = client.get(f"{base}/routes", params=params)
        assert r.status_code == 404 and problem(r)["field"] == field, r.text
    same = client.get(f"{base}/routes", params={"origin": "xian", "destination": "xian"})
    assert same.status_code == 200 and same.json() == []  # no corridor joins a place to itself
    r = client.get(f"{base}/network", params={"year": 2000})
    assert r.status_code == 404 and problem(r)["field"] == "year"
    assert client.get(f"{base}/network", params={"year": 1800}).status_code == 422


def test_404_for_unknown_things(client: TestClient, plan_run: dict[str, Any]) -> None:
    assert problem(client.get("/api/scenarios/nowhere"))["fix"].startswith("use one of")
    for url in ("/api/assessments/0123456789ab", "/api/jobs/0123456789ab", "/view/nope",
                f"/api/assessments/{plan_run['id']}/tables/secrets.csv", "/api/nothing"):
        r = client.get(url)
        assert r.status_code == 404, url
        problem(r)
    r = client.get("/api/compare", params={"a": plan_run["id"], "b": "gone"})
    assert r.status_code == 404 and problem(r)["field"] == "b"
    r = client.get(f"{plan_run['downloads']['geojson']}?year=2019")
    assert r.status_code == 404 and problem(r)["field"] == "year"


def test_bad_bodies(client: TestClient) -> None:
    r = client.post("/api/assessments", content=b"{not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in problem(r)["fix"]
    r = client.post("/api/assessments", content=b"x" * 70_000,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and problem(r)["field"] == "body"


def test_429_when_the_pool_queue_is_full() -> None:
    with TestClient(create_app(Limits(max_pending=0), hosts=TEST_HOSTS)) as c:
        r = c.post("/api/assessments", json={"first_year": 2026, "last_year": 2026})
        assert r.status_code == 429 and r.headers["retry-after"]
        assert "try again" in problem(r)["fix"]


def test_a_fault_of_the_service_is_one_json_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from titr.web import describe

    def boom(name: str) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(describe, "summary", boom)
    with TestClient(create_app(hosts=TEST_HOSTS), raise_server_exceptions=False) as c:
        r = c.get("/api/scenarios/middle-corridor")
    assert r.status_code == 500
    assert problem(r)["message"] == "ZeroDivisionError: division by zero"


def test_compare_two_scenarios(client: TestClient, plan_run: dict[str, Any]) -> None:
    other = client.post("/api/assessments", json={**YEARS,
                                                  "scenario": "middle-corridor-2022-plan"})
    assert other.status_code == 200
    cmp = client.get("/api/compare", params={"a": plan_run["id"], "b": other.json()["id"]})
    assert cmp.json()["levers"][0] == {"lever": "scenario", "a": "middle-corridor",
                                       "b": "middle-corridor-2022-plan"}
    page = client.get(cmp.json()["view"]).text
    assert "middle-corridor-2022-plan" in page
