"""The JSON API of scenarios, assessments and comparisons (jobs are in :mod:`jobs_api`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from titr import __version__
from titr.assign.assessment_result import TABLES
from titr.model import TitrError
from titr.web import describe
from titr.web.api_errors import not_found
from titr.web.cached import Bodies, bodies, dumps, fixed, made
from titr.web.downloads import csv_response, file_response, geojson_response
from titr.web.schemas import (
    ID_PATTERN,
    AssessmentOut,
    AssessmentRequest,
    CompareOut,
    CompareRow,
    ErrorBody,
    RunRef,
    ScenarioInfo,
    ScenarioSummary,
)
from titr.web.services import Services, run_or_404, run_out, run_ref, services

Responses = dict[int | str, dict[str, Any]]
ERRORS: Responses = {
    400: {"model": ErrorBody, "description": "the scenario cannot take this combination of "
          "values (field named); each value's own bounds are in the schema (422)"},
    404: {"model": ErrorBody, "description": "unknown scenario, run or job, or a year, place "
          "or cargo class the scenario does not have"},
    413: {"model": ErrorBody, "description": "the body is over 64 KiB"},
    422: {"model": ErrorBody, "description": "the request does not fit the schema"},
}
BUSY: Responses = {
    429: {"model": ErrorBody, "description": "busy: too many requests or jobs at once"},
    503: {"model": ErrorBody, "description": "a worker process stopped; try again"}}
GEOJSON: Responses = {200: {"content": {"application/geo+json": {}},
                 "description": "a GeoJSON FeatureCollection"}}
CSV: Responses = {200: {"content": {"text/csv": {}}, "description": "a CSV table"}}
DUCKDB: Responses = {200: {"content": {"application/vnd.duckdb": {}},
                           "description": "a DuckDB file"}}

router = APIRouter(prefix="/api", responses=ERRORS)
Svc = Annotated[Services, Depends(services)]
# JSON of reads that do not change: scenarios, networks, routes, finished runs
Cache = Annotated[Bodies, Depends(bodies)]
Name = Annotated[str, Path(pattern=ID_PATTERN, description="a built-in scenario")]
RunId = Annotated[str, Path(max_length=64, description="an assessment's id")]
YearQ = Annotated[int, Query(ge=1990, le=2100, description="a year of the horizon")]
TableName = Annotated[str, Path(max_length=64, description="a result table: " + ", ".join(TABLES))]
# every figure of the totals (declared in titr.model.columns) but the solver's convergence
COMPARED = [c.name for c in TABLES["totals"].columns if c.dtype == "float64" and c.name != "gap"]


def _found(build: Callable[[], Any]) -> Callable[[], Any]:
    """A read of something the scenario does not have (a year, a place, a cargo class) is a
    404 naming it."""
    def run() -> Any:
        try:
            return build()
        except TitrError as e:
            p = e.problems[0]
            raise not_found(p.where or "request", p.what, p.fix) from None
    return run


def _known(name: str) -> str:
    names = describe.scenario_names()
    if name not in names:
        raise not_found("name", f"no scenario {name!r} on this server", f"use one of: "
                        f"{', '.join(names)}")
    return name


@router.get("/health", summary="The service is up", response_model=dict[str, Any])
async def health(request: Request, s: Svc) -> Response:
    return made(request, lambda: dumps({"status": "ok", "version": __version__,
                                        "jobs_running": s.jobs.running(),
                                        "max_jobs": s.limits.max_jobs}))


@router.get("/limits", summary="The bounds the API accepts for levers, replications, sweeps",
            response_model=dict[str, Any])
async def input_limits(request: Request) -> Response:
    from titr.web.lever_limits import limits

    return fixed(request, dumps(limits()))


def _scenario_list() -> list[ScenarioInfo]:
    from titr.web.compute import base_scenario

    return [describe.info(base_scenario(n)) for n in describe.scenario_names()]


@router.get("/scenarios", summary="The built-in scenarios", response_model=list[ScenarioInfo])
async def scenarios(request: Request, cache: Cache) -> Response:
    return fixed(request, await cache.get("scenarios", _scenario_list))


@router.get("/scenarios/{name}", summary="A scenario: horizon, projects, corridors, levers",
            response_model=ScenarioSummary)
async def scenario(request: Request, name: Name, cache: Cache) -> Response:
    return fixed(request, await cache.get(("summary", _known(name)),
                                          lambda: describe.summary(name)))


@router.get("/scenarios/{name}/network", summary="The network as of a year, as GeoJSON",
            responses=GEOJSON)
async def network(request: Request, name: Name, cache: Cache, year: YearQ = 2026) -> Response:
    body = await cache.get(("network", _known(name), year),
                            _found(lambda: describe.network_geojson(name, year)))
    return fixed(request, body, "application/geo+json")


@router.get("/scenarios/{name}/routes",
            summary="Each corridor's best path between two places: days, cost, CO2",
            response_model=list[dict[str, Any]])
async def routes(request: Request, name: Name,
                 origin: Annotated[str | None, Query(
                     max_length=64, description="a node id (default: the scenario's study)")
                 ] = None,
                 destination: Annotated[str | None, Query(max_length=64)] = None,
                 year: YearQ = 2026,
                 cargo: Annotated[str, Query(max_length=64)] = "container",
                 *, cache: Cache) -> Response:
    return fixed(request, await cache.get(
        ("routes", _known(name), origin, destination, year, cargo),
        _found(lambda: describe.routes(name, origin, destination, year, cargo))))


def post_routes(body: Any) -> APIRouter:
    """POST /api/assessments, its body the server's own model (:mod:`request_models`)."""
    posts = APIRouter(prefix="/api", responses=ERRORS)

    async def create_assessment(req: AssessmentRequest, s: Svc) -> AssessmentOut:
        run, cached = await s.runs.assess(req)
        return run_out(run, cached)

    create_assessment.__annotations__["req"] = body
    posts.add_api_route("/assessments", create_assessment, methods=["POST"], responses=BUSY,
                        summary="Assess a scenario with levers (synchronous, ~1–2 s)")
    return posts


@router.get("/assessments", summary="The assessments kept, newest first",
            response_model=list[RunRef])
async def list_assessments(request: Request, s: Svc) -> Response:
    last: list[Any] = [None, b""]  # the ids listed last time, and their JSON

    def listed() -> bytes:
        runs = s.runs.list()
        ids = [r.id for r in runs]
        if ids != last[0]:
            last[:] = [ids, dumps([run_ref(r) for r in runs])]
        body: bytes = last[1]
        return body

    return made(request, listed)


@router.get("/assessments/{id}", summary="An assessment's totals and links",
            response_model=AssessmentOut)
async def get_assessment(request: Request, id: RunId, s: Svc, cache: Cache) -> Response:
    run = run_or_404(s, id)
    body = await cache.get(("run", run.id), lambda: run_out(run, cached=True))
    return fixed(request, body, alive=lambda: s.runs.get(run.id) is run)


@router.get("/assessments/{id}/tables/{table}.csv", summary="A result table as CSV",
            responses=CSV)
def assessment_csv(id: RunId, table: TableName, s: Svc) -> Response:
    run = run_or_404(s, id)
    if table not in TABLES:
        raise not_found("table", f"no result table {table!r}", f"use one of: {', '.join(TABLES)}")
    return csv_response(getattr(run.computed.out.res, table), f"titr-{run.id}-{table}.csv")


@router.get("/assessments/{id}/network.geojson",
            summary="The network with a year's flows and utilisation, as GeoJSON",
            responses=GEOJSON)
def assessment_geojson(id: RunId, s: Svc,
                       year: Annotated[int | None, Query(ge=1990, le=2100, description=(
                           "a year of the run (default: its last)"))] = None) -> Response:
    run = run_or_404(s, id)
    years = run.computed.out.years
    year = years[-1] if year is None else year
    if year not in years:
        raise not_found("year", f"{year} is not a year of this run",
                        f"use a year from {years[0]} to {years[-1]}")
    return geojson_response(run.computed.out.res, year, f"titr-{run.id}-{year}.geojson")


@router.get("/assessments/{id}/results.duckdb", summary="The results database (DuckDB)",
            responses={**DUCKDB, **BUSY})
async def assessment_duckdb(id: RunId, s: Svc) -> Response:
    run = run_or_404(s, id)
    path = await s.runs.duckdb(run)
    return file_response(path, f"titr-{run.id}.duckdb")


@router.get("/compare", summary="Two assessments side by side: A, B and B − A by year")
def compare(a: Annotated[str, Query(max_length=64, description="run A's id")],
            b: Annotated[str, Query(max_length=64, description="run B's id")],
            s: Svc) -> CompareOut:
    ra, rb = run_or_404(s, a, "a"), run_or_404(s, b, "b")
    ta = ra.computed.out.res.totals.set_index("year")
    tb = rb.computed.out.res.totals.set_index("year")
    rows = []
    for year in sorted(set(ta.index) & set(tb.index)):
        for m in COMPARED:
            va, vb = _num(ta.at[year, m]), _num(tb.at[year, m])
            rows.append(CompareRow(year=int(year), metric=m, a=va, b=vb,
                                   diff=None if va is None or vb is None else vb - va))
    la, lb = ra.levers, rb.levers
    levers = [{"lever": k, "a": la.get(k), "b": lb.get(k)}
              for k in sorted(set(la) | set(lb)) if la.get(k) != lb.get(k)]
    if ra.scenario != rb.scenario:
        levers.insert(0, {"lever": "scenario", "a": ra.scenario, "b": rb.scenario})
    return CompareOut(a=run_ref(ra), b=run_ref(rb), levers=levers, rows=rows,
                      view=f"/view/compare/{ra.id}/{rb.id}")


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if v == v and abs(v) != float("inf") else None
