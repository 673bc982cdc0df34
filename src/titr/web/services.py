"""What the routes share: the limits, the assessment runs and the background jobs of one app,
and the response shapes built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from titr.report.page_data import records
from titr.web.api_errors import not_found
from titr.web.jobs import Job, JobManager
from titr.web.limits import Limits
from titr.web.runs import Run, Runs
from titr.web.schemas import AssessmentOut, Downloads, ErrorBody, JobOut, RunRef

API = "/api"


@dataclass
class Services:
    limits: Limits
    runs: Runs
    jobs: JobManager

    def shutdown(self) -> None:
        self.jobs.shutdown()
        self.runs.shutdown()


async def services(request: Request) -> Services:
    # async: a plain function would be sent to the thread pool on every request
    s: Services = request.app.state.services
    return s


def run_or_404(s: Services, run_id: str, field: str = "id") -> Run:
    run = s.runs.get(run_id)
    if run is None:
        raise not_found(field, f"no assessment {run_id!r} (it may have been dropped: the "
                        f"service keeps the last {s.limits.keep_runs})",
                        "run the assessment again; GET /api/assessments lists the kept ones")
    return run


def job_or_404(s: Services, job_id: str) -> Job:
    job = s.jobs.get(job_id)
    if job is None:
        raise not_found("id", f"no job {job_id!r} (it may have been dropped: the service keeps "
                        f"the last {s.limits.keep_jobs})",
                        "start it again; GET /api/jobs lists the kept ones")
    return job


def run_downloads(run: Run) -> Downloads:
    from titr.web.downloads import RUN_TABLES

    base = f"{API}/assessments/{run.id}"
    return Downloads(csv={t: f"{base}/tables/{t}.csv" for t in RUN_TABLES},
                     geojson=f"{base}/network.geojson", duckdb=f"{base}/results.duckdb")


def run_ref(run: Run) -> RunRef:
    return RunRef(id=run.id, scenario=run.scenario, label=run.label, levers=run.levers,
                  years=run.computed.out.years, created=run.created)


def run_out(run: Run, cached: bool) -> AssessmentOut:
    out = run.computed.out
    return AssessmentOut(
        id=run.id, scenario=run.scenario, label=run.label, years=out.years,
        levers=run.levers, seconds=round(out.seconds, 3), cached=cached,
        totals=out.totals, volumes=out.volumes, view=f"/view/{run.id}",
        downloads=run_downloads(run))


def job_out(job: Job, with_result: bool = True) -> JobOut:
    result: dict[str, list[dict[str, Any]]] | None = None
    downloads = None
    if job.tables is not None:
        base = f"{API}/jobs/{job.id}"
        downloads = Downloads(csv={t: f"{base}/tables/{t}.csv" for t in job.tables},
                              duckdb=f"{base}/results.duckdb")
        if with_result:
            result = {t: records(df) for t, df in job.tables.items()}
    error = ErrorBody.model_validate({"error": "job failed", "problems": job.problems}) \
        if job.problems else None
    return JobOut(id=job.id, kind=job.kind, state=job.state,
                  progress=round(job.progress, 4), message=job.message, label=job.label,
                  request=job.request, created=job.created, started=job.started,
                  finished=job.finished, error=error, result=result, downloads=downloads)
