"""The app factory: ``create_app()`` wires the API, the pages, the static files and the
error handlers; ``titr serve`` runs it with uvicorn on 127.0.0.1.

Everything the pages load comes from this server: the page's own files (``web/static``), the
report's vendored Leaflet, topojson-client and Natural Earth countries (``report/vendor``,
served read-only), and plotly.js from the installed plotly package. A Content-Security-Policy
tells the browser to fetch nothing from anywhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from titr import __version__
from titr.web import api, api_errors, guard, jobs_api, pages
from titr.web.cached import Hot, HotReads
from titr.web.compute import base_scenario
from titr.web.guard import trusted_hosts
from titr.web.jobs import JobManager
from titr.web.limits import Limits
from titr.web.request_models import models_for
from titr.web.runs import Runs
from titr.web.served import scenario_names
from titr.web.services import Services

DEFAULT_SCENARIO = "middle-corridor"
DESCRIPTION = ("Explore and compare scenarios of a freight corridor: assessments with "
               "levers, simulation and sweep jobs, downloads. Errors "
               "are JSON: {error, problems: [{field, message, fix}]}.")


def create_app(limits: Limits | None = None, warm: bool = False,
               hosts: list[str] | None = None, scheduler: str | None = None,
               first: str | None = None) -> FastAPI:
    """The app; ``warm`` starts the worker processes and loads the default scenario in them
    at startup (``titr serve`` does), so the first page load is quick. ``hosts``: the host
    names it answers (default: loopback names, see :mod:`titr.web.guard`). ``scheduler``: a
    Dask scheduler's address; simulation and sweep jobs then run on its cluster. ``first``:
    the scenario to warm up (a served file's id; default the built-in one)."""
    limits = limits or Limits()
    svc = Services(limits, Runs(limits), JobManager(limits, scheduler))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            svc.runs.warm(first or DEFAULT_SCENARIO)
        try:
            yield
        finally:
            svc.shutdown()

    app = FastAPI(title="titr", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.services = svc
    api_errors.install(app)
    app.state.hot_reads = HotReads()
    app.add_middleware(Hot, store=app.state.hot_reads)  # innermost: behind the guard
    guard.install(app, hosts if hosts is not None else trusted_hosts())
    bodies = models_for([base_scenario(n) for n in scenario_names()], DEFAULT_SCENARIO)
    app.state.request_models = bodies
    app.include_router(api.router)
    app.include_router(api.post_routes(bodies.assessment))
    app.include_router(jobs_api.router)
    app.include_router(jobs_api.post_routes(bodies.simulation, bodies.sweep))
    app.include_router(pages.router)
    vendor = resources.files("titr.report").joinpath("vendor")
    static = resources.files("titr.web").joinpath("static")
    app.mount("/static/vendor", StaticFiles(directory=str(vendor)), name="vendor")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    return app
