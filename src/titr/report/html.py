"""Render the self-contained report: one HTML file with every script, style and datum inline,
so it opens from file:// without a single request.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import pandas as pd

from titr.assign.assessment_result import AssessmentResult
from titr.model.scenario import Scenario
from titr.report.extras import Extras, extras_from_scenario, sim_kpis_frame
from titr.report.geo import vendor_text
from titr.report.page_data import report_data


@cache
def _env() -> jinja2.Environment:
    # Autoescape stays on for the few text fields; inlined code goes through |safe on purpose.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("titr.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


@cache
def plotly_js() -> str:
    """plotly.js from the installed plotly wheel, so it is not vendored twice."""
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text("utf-8")


JS_PARTS = ("common.js", "map.js", "charts.js", "tables.js", "main.js")


def _template_text(name: str) -> str:
    return resources.files("titr.report").joinpath("templates", name).read_text("utf-8")


def report_js() -> str:
    """The page's own script: its parts share one function scope, in this order."""
    body = "\n".join(_template_text(n) for n in JS_PARTS)
    return '(function () {\n"use strict";\n' + body + "\n})();\n"


def _inline_json(obj: Any) -> str:
    # "</" cannot end the <script> element when written "<\/", which JSON reads the same.
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _inline_js(code: str) -> str:
    if "</script" in code.lower():
        raise ValueError("inlined script contains </script>")
    return code


def render(data: dict[str, Any]) -> str:
    """The page for a report blob built by :func:`titr.report.page_data.report_data`."""
    return _env().get_template("report.html.j2").render(
        title=data["title"], data_json=_inline_json(data),
        world_json=vendor_text("countries-50m.json").replace("</", "<\\/"),
        leaflet_css=vendor_text("leaflet.css"), report_css=_template_text("report.css"),
        leaflet_js=_inline_js(vendor_text("leaflet.js")),
        topojson_js=_inline_js(vendor_text("topojson-client.min.js")),
        plotly_js=_inline_js(plotly_js()), report_js=_inline_js(report_js()),
        compare=len(data["scenarios"]) > 1)


def report_html(res: AssessmentResult, scenario: Scenario | None = None,
                sim_kpis: pd.DataFrame | None = None, extras: Extras | None = None) -> str:
    """The report of one assessment.

    ``scenario`` gives the names, assumptions and corridor colours (else ``extras`` as read
    from a results file by :func:`titr.report.extras.read_results`); ``sim_kpis`` — columns
    year, corridor, cargo, median_days, p90_days — adds simulated door-to-door days.
    """
    if scenario is not None:
        extras = extras_from_scenario(scenario, sim_kpis)
    elif sim_kpis is not None:
        extras = extras or Extras()
        extras.sim_kpis = sim_kpis_frame(sim_kpis)
    return render(report_data([(res, extras)]))


def compare_html(a: tuple[AssessmentResult, Extras | None],
                 b: tuple[AssessmentResult, Extras | None]) -> str:
    """Two assessments side by side: scenario A, then B (differences are B − A)."""
    return render(report_data([a, b]))
