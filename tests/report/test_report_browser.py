"""The report in headless Chromium, opened from file:// as a user opens it: it renders, the
map shows the countries and the corridor, the year slider recolours the links, nothing is
requested from the network and nothing is logged as an error."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from titr.report import compare_html, read_results, report_html

pytestmark = pytest.mark.browser

SIM = pd.DataFrame({"year": [2021, 2024], "corridor": ["middle", "middle"],
                    "cargo": ["container", "container"], "median_days": [8.0, 7.0],
                    "p90_days": [12.0, 9.5]})


@dataclass
class Opened:
    page: Any
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def status(self) -> str:
        return str(self.page.text_content("#status"))

    def set_year(self, index: int) -> None:
        self.page.evaluate("i => { const s = document.getElementById('year'); s.value = i;"
                           " s.dispatchEvent(new Event('input')); }", index)

    def stroke(self, link: str) -> tuple[str, str]:
        path = self.page.locator(f"path.titr-link-{link}")
        return path.get_attribute("stroke") or "", path.get_attribute("stroke-width") or ""


def open_report(browser: Any, html: str, path: Path) -> Opened:
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    opened = Opened(page)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:  # anything else would leave the machine
            opened.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: opened.external.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("!document.getElementById('status').textContent"
                           ".startsWith('loading')", timeout=30_000)
    return opened


@pytest.fixture(scope="module")
def single(browser: Any, busy_db: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Opened]:
    res, extras = read_results(busy_db)
    html = report_html(res, extras=extras, sim_kpis=SIM)
    opened = open_report(browser, html, tmp_path_factory.mktemp("page") / "report.html")
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def compared(browser: Any, busy_db: Path, slow_db: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    html = compare_html(read_results(busy_db), read_results(slow_db))
    opened = open_report(browser, html, tmp_path_factory.mktemp("page") / "compare.html")
    yield opened
    opened.page.close()


def test_renders_offline_without_errors(single: Opened) -> None:
    assert single.status().startswith("ok"), single.status()
    assert single.external == []
    assert single.errors == []
    assert single.page.locator(".js-plotly-plot").count() == 7


def test_map_shows_countries_and_corridor(single: Opened) -> None:
    countries = single.page.locator("#map path.titr-country").count()
    assert countries == 241  # world-atlas countries-50m
    assert single.page.locator("#map path.titr-link").count() == 5  # the tiny corridor's edges
    assert single.page.locator("#map .leaflet-places-pane .titr-node-port").count() == 2
    assert single.page.locator("#map .leaflet-labels-pane .titr-label").count() == 5


def test_year_slider_recolours_links(single: Opened) -> None:
    single.set_year(0)  # 2020: the ferry is full and binds
    before = single.stroke("p-q")
    assert single.page.locator("#map path.titr-halo").count() == 1
    assert single.page.locator("#map .titr-callout").count() == 1
    single.set_year(5)  # 2025: four more ferries, about 60 % used
    after = single.stroke("p-q")
    assert before[0] != after[0] and before[0].startswith("rgb(")
    assert single.page.text_content("#year-label") == "2025"
    named = single.page.evaluate("JSON.parse(document.getElementById('titr-data').textContent)"
                                 ".scenarios[0].headline.some(b => b.year === 2025)")
    assert single.page.locator("#map path.titr-halo").count() == (1 if named else 0)
    assert single.errors == []


def test_hover_shows_flow_capacity_utilisation_sources(single: Opened) -> None:
    single.set_year(0)
    single.page.locator("path.titr-link-a-b").hover()
    tip = single.page.locator(".leaflet-tooltip.titr-tip")
    tip.wait_for(timeout=5_000)
    text = tip.text_content() or ""
    for word in ("flow 2020", "capacity", "2.00 Mt/yr", "utilisation", " %", "HAND"):
        assert word in text, text


def test_charts_draw_observed_and_simulated(single: Opened) -> None:
    traces = single.page.evaluate("id => document.getElementById(id).data.map(t => "
                                  "({name: t.name, obs: t.customdata || []}))", "chart-tonnes")
    observed = next(t for t in traces if t["name"] == "observed")
    assert observed["obs"] == ["ferry-tonnes-2021"]
    assert {"middle", "northern", "modelled, same scope"} <= {t["name"] for t in traces}
    days = single.page.evaluate(
        "id => document.getElementById(id).data.map(t => t.name)", "chart-days")
    assert any("simulated" in n for n in days)
    assert "ferry-teu-2024" in (single.page.text_content("#tbl-calibration") or "")
    assert "a guess for the test" in (single.page.text_content("#tbl-assumptions") or "")


def test_compare_shows_both_scenarios(compared: Opened) -> None:
    assert compared.status().startswith("ok") and "scenarios=2" in compared.status()
    assert compared.external == [] and compared.errors == []
    sub = compared.page.text_content("#subtitle") or ""
    assert "B without more-ferries" in sub  # what sets B apart
    info = compared.page.text_content(".map-box.info") or ""
    assert "A" in info and "B" in info and "Across the focus crossing" in info  # no [study]
    assert compared.page.locator("#tbl-compare tbody tr").count() == 6
    compared.set_year(5)  # B has no extra ferries: less cargo on the ferry than in A
    assert compared.stroke("p-q")[0] == "#2166ac"
    names = compared.page.evaluate("document.getElementById('chart-tonnes').data"
                                   ".map(t => t.name)")
    assert names.count("middle") == 2 and "B: dashed" in names
