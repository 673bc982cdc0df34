"""The report page of a run, or of two runs compared, served over HTTP.

It is the self-contained report of :mod:`titr.report` (same template, same scripts, same data
blob), with the large libraries it inlines swapped for ``<script src>`` tags pointing at the
copies this service serves, so the browser caches them once instead of receiving ~6 MB per
view. If the report's template changes shape, the swap simply does not happen and the page
still works (it is only larger).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from titr.report.geo import vendor_text
from titr.report.html import plotly_js, render, report_js

PLOTLY_URL = "/static/lib/plotly.min.js"
REPORT_JS_URL = "/static/lib/report.js"
VENDOR_URL = "/static/vendor/"
VENDOR_DIR = resources.files("titr.report").joinpath("vendor")


@cache
def _swaps() -> tuple[tuple[str, str], ...]:
    return (
        (f"<script>{plotly_js()}</script>", f'<script src="{PLOTLY_URL}"></script>'),
        (f"<script>{vendor_text('leaflet.js')}</script>",
         f'<script src="{VENDOR_URL}leaflet.js"></script>'),
        (f"<script>{vendor_text('topojson-client.min.js')}</script>",
         f'<script src="{VENDOR_URL}topojson-client.min.js"></script>'),
        (f"<style>{vendor_text('leaflet.css')}</style>",
         f'<link rel="stylesheet" href="{VENDOR_URL}leaflet.css">'),
        (f"<script>{report_js()}</script>", f'<script src="{REPORT_JS_URL}"></script>'),
    )


def page(blob: dict[str, Any]) -> str:
    """The report page for a blob (one scenario or two), its libraries linked, not inlined."""
    html = render(blob)
    for inline, linked in _swaps():
        html = html.replace(inline, linked, 1)
    return html


def compare_blob(a: dict[str, Any], b: dict[str, Any], labels: tuple[str, str] = ("", "")
                 ) -> dict[str, Any]:
    """Two single-run blobs → the comparison blob, as ``report_data([a, b])`` builds it (a
    test holds the two equal); ``labels`` (run names) replace the scenario names if given."""
    sa, sb = (copy.deepcopy(x["scenarios"][0]) for x in (a, b))
    same = sa["id"] == sb["id"]
    for s, tag, label in ((sa, "A", labels[0]), (sb, "B", labels[1])):
        s["label"] = tag
        if label:
            s["name"] = f"{label} ({tag})"
        elif same:
            s["name"] = f"{s['name']} ({tag})"
    return {"title": f"titr comparison — {sa['name']} vs {sb['name']}",
            "version": a["version"], "scenarios": [sa, sb]}


def single_blob(text: str, label: str = "") -> dict[str, Any]:
    blob: dict[str, Any] = json.loads(text)
    if label:
        blob["scenarios"][0]["name"] = label
        blob["title"] = f"titr assessment — {label}"
    return blob
