"""The HTML side: the workbench page, the report view of a run or of two runs, the offline
API docs, and the libraries the pages load (served from the installed packages)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from titr.report.html import plotly_js, report_js
from titr.web import views
from titr.web.api import Svc
from titr.web.docs import docs_html
from titr.web.services import run_or_404

router = APIRouter(include_in_schema=False)
RunId = Annotated[str, Path(max_length=64)]
JS = "text/javascript; charset=utf-8"
CACHE = {"Cache-Control": "public, max-age=3600"}


@cache
def _static(name: str) -> str:
    return resources.files("titr.web").joinpath("static", name).read_text("utf-8")


@router.get("/")
def index() -> HTMLResponse:
    return HTMLResponse(_static("index.html"))


@router.get("/favicon.ico")
def favicon() -> Response:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" '
           'height="16" rx="3" fill="#0f2744"/><path d="M3 11h10M4 7h8" stroke="#facc15" '
           'stroke-width="2"/></svg>')
    return Response(svg, media_type="image/svg+xml", headers=CACHE)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(docs_html(request.app.openapi()))


@router.get(views.PLOTLY_URL)
def plotly() -> Response:
    return Response(plotly_js(), media_type=JS, headers=CACHE)


@router.get(views.REPORT_JS_URL)
def report_script() -> Response:
    return Response(report_js(), media_type=JS, headers=CACHE)


@router.get("/view/{id}")
async def view(id: RunId, s: Svc) -> HTMLResponse:
    run = run_or_404(s, id)
    blob = views.single_blob(await s.runs.blob(run), run.label)
    return HTMLResponse(views.page(blob))


@router.get("/view/compare/{a}/{b}")
async def view_compare(a: RunId, b: RunId, s: Svc) -> HTMLResponse:
    ra, rb = run_or_404(s, a, "a"), run_or_404(s, b, "b")
    ja, jb = await s.runs.blob(ra), await s.runs.blob(rb)
    blob = views.compare_blob(json.loads(ja), json.loads(jb), (ra.label, rb.label))
    return HTMLResponse(views.page(blob))
