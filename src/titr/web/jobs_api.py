"""The JSON API of background jobs: simulations and sweeps, their progress, cancel, results."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from titr.web.api import BUSY, CSV, DUCKDB, ERRORS, Svc
from titr.web.api_errors import ApiError, not_found
from titr.web.cached import dumps, made
from titr.web.compute import check_year, scenario_for, years_of
from titr.web.describe import scenario_names
from titr.web.downloads import csv_response, file_response, tables_duckdb
from titr.web.schemas import JobOut, Levers, SimulationRequest, SweepRequest
from titr.web.services import job_or_404, job_out

router = APIRouter(prefix="/api/jobs", responses=ERRORS)
JobId = Annotated[str, Path(max_length=64, description="a job's id")]
TableName = Annotated[str, Path(max_length=64, pattern=r"^[a-z_]+$",
                                description="a table of the job's result")]


def _known(name: str) -> None:
    if name not in scenario_names():
        raise not_found("scenario", f"no scenario {name!r} on this server",
                        f"use one of: {', '.join(scenario_names())}")


def _check(name: str, levers: Levers, first: int | None = None, last: int | None = None,
           year: int | None = None) -> None:
    """Bad input fails now with a 400, not later inside the job."""
    _known(name)
    sc = scenario_for(name, levers)
    if year is not None:
        check_year(sc, year)
    years_of(sc, first, last)


def post_routes(simulation: Any, sweep: Any) -> APIRouter:
    """The two POSTs that start jobs, their bodies the server's own models
    (:mod:`request_models`)."""
    posts = APIRouter(prefix="/api/jobs", responses=ERRORS)

    def start_simulation(req: SimulationRequest, s: Svc) -> JobOut:
        _check(req.scenario, req.levers, year=req.year)
        return job_out(s.jobs.submit("simulation", req.model_dump(mode="json"), req.label))

    def start_sweep(req: SweepRequest, s: Svc) -> JobOut:
        for v in sorted({min(req.values), max(req.values)}):  # each end of the range, now
            _check(req.scenario, req.levers.varied(req.vary, v), req.first_year, req.last_year)
        return job_out(s.jobs.submit("sweep", req.model_dump(mode="json"), req.label))

    start_simulation.__annotations__["req"] = simulation
    start_sweep.__annotations__["req"] = sweep
    posts.add_api_route("/simulations", start_simulation, methods=["POST"], status_code=202,
                        responses=BUSY, summary="Start a simulation of one year (background; "
                        "poll GET /api/jobs/{id})")
    posts.add_api_route("/sweeps", start_sweep, methods=["POST"], status_code=202,
                        responses=BUSY, summary="Start a sweep: one assessment per value of a "
                        "lever (background)")
    return posts


@router.get("", summary="The jobs kept, newest first (without their result tables)",
            response_model=list[JobOut])
async def list_jobs(request: Request, s: Svc) -> Response:  # cheap: on the event loop
    return made(request, lambda: dumps([job_out(j, with_result=False) for j in s.jobs.list()]))


@router.get("/{id}", summary="A job's state and progress, and its result once done")
def get_job(id: JobId, s: Svc) -> JobOut:
    return job_out(job_or_404(s, id))


@router.post("/{id}/cancel", summary="Cancel a running job (its process is stopped)")
def cancel_job(id: JobId, s: Svc) -> JobOut:
    job_or_404(s, id)
    job = s.jobs.cancel(id)
    assert job is not None
    return job_out(job, with_result=False)


def _tables(s: Svc, job_id: str) -> tuple[str, dict[str, pd.DataFrame]]:
    job = job_or_404(s, job_id)
    if job.tables is None:
        raise ApiError(409, "no result yet", "id", f"job {job_id} is {job.state}",
                       "wait until its state is 'done'")
    return job.id, job.tables


@router.get("/{id}/tables/{table}.csv", summary="A table of a finished job as CSV",
            responses={**CSV, 409: {"description": "the job has no result (yet)"}})
def job_csv(id: JobId, table: TableName, s: Svc) -> Response:
    jid, tables = _tables(s, id)
    if table not in tables:
        raise not_found("table", f"job {jid} has no table {table!r}",
                        f"use one of: {', '.join(tables)}")
    return csv_response(tables[table], f"titr-{jid}-{table}.csv")


@router.get("/{id}/results.duckdb", summary="A finished job's tables as a DuckDB file",
            responses={**DUCKDB, 409: {"description": "the job has no result (yet)"}})
def job_duckdb(id: JobId, s: Svc) -> Response:
    jid, tables = _tables(s, id)
    return file_response(tables_duckdb(tables, f"titr-{jid}-"), f"titr-{jid}.duckdb")
