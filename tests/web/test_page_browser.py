"""The workbench in headless Chromium against a live `titr serve` on 127.0.0.1, used as a
planner uses it: the page opens on the plan, a lever changes, a run redraws the map and the
charts, two runs are compared, a bad request shows its error, a background job runs and is
found again after a reload. No request may leave the server and nothing may log an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

pytestmark = pytest.mark.browser
YEAR = 2027  # after the what-if year (2026): the ferries lever shows


@dataclass
class Page:
    page: Any
    server: str
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def status(self) -> str:
        return str(self.page.text_content("#status"))

    def wait_status(self, prefix: str, timeout: float = 60_000) -> str:
        self.page.wait_for_function(
            "p => { const s = document.getElementById('status').textContent;"
            " return s.startsWith(p) || s.startsWith('ERROR'); }", arg=prefix, timeout=timeout)
        status = self.status()
        assert status.startswith(prefix), status
        return status

    def view(self) -> Any:
        return self.page.frame_locator("#view")

    def view_eval(self, script: str, arg: Any = None) -> Any:
        return self.page.frames[1].evaluate(script, arg)

    def set_view_year(self, year: int) -> None:
        self.view_eval("y => { const s = document.getElementById('year'),"
                       " l = document.getElementById('year-label');"
                       " const i = Number(s.value) + y - Number(l.textContent);"
                       " s.value = i; s.dispatchEvent(new Event('input')); }", year)
        assert self.view_eval("() => document.getElementById('year-label').textContent") == \
            str(year)

    def chart(self, chart_id: str) -> str:
        return str(self.view_eval(
            "id => JSON.stringify(document.getElementById(id).data.map(t => t.y))", chart_id))

    def link(self, element: str) -> tuple[str, str]:
        return tuple(self.view_eval(  # type: ignore[return-value]
            "c => { const p = document.querySelector('path.titr-link-' + c);"
            " return [p.getAttribute('stroke'), p.getAttribute('stroke-width')]; }", element))


@pytest.fixture(scope="module")
def opened(browser: Any, server: str) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    p = Page(page, server)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith((server + "/", "data:", "blob:", "about:")):
            r.continue_()
        else:  # anything else would leave the machine
            p.external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: p.errors.append(str(e)))
    page.goto(f"{server}/?first=2025&last=2029")
    p.wait_status("ok run")
    yield p
    page.close()


def test_the_page_opens_on_the_plan(opened: Page) -> None:
    status = opened.status()
    assert "countries=241" in status and "scenarios=1" in status
    assert opened.page.locator("#runs li[data-run]").count() == 1
    assert opened.page.text_content("#runs li[data-run] .name") == "Plan"
    assert opened.view().locator("#map path").count() > 300  # countries and links drawn
    assert opened.page.locator("#levers .lever").count() == 6


def test_a_lever_and_a_run_change_the_map_and_the_charts(opened: Page) -> None:
    page = opened
    page.set_view_year(YEAR)
    before = page.chart("chart-tonnes"), page.link("kuryk-alat-ferry")
    ferries = page.page.locator("#lever-kz_ferries")
    ferries.fill("12")
    ferries.press("Tab")
    named = str(page.page.get_attribute("#run-label", "placeholder"))
    assert "Kazakh rail ferries (Kuryk–Alat) 12 from 2026" in named
    first = page.status()
    page.page.click("#run")
    page.page.wait_for_function("s => document.getElementById('status').textContent !== s",
                                arg=first)
    page.wait_status("ok run")
    assert page.page.locator("#runs li[data-run]").count() == 2
    assert page.view_eval("() => document.getElementById('year-label').textContent") == \
        str(YEAR)  # the view keeps the year the user looked at
    after = page.chart("chart-tonnes"), page.link("kuryk-alat-ferry")
    assert after[0] != before[0]  # the chart of tonnes by corridor moved
    assert after[1] != before[1]  # the ferry link is drawn differently


def test_two_runs_side_by_side(opened: Page) -> None:
    page = opened.page
    assert not page.is_disabled("#compare")
    page.click("#compare")
    status = opened.wait_status("ok compare")
    assert "scenarios=2" in status
    diff = str(page.text_content("#diff"))
    assert "kz_ferries" in diff and "B − A" in diff
    assert opened.view().locator("#sec-compare").is_visible()
    # it opens on a year where A and B differ (the ferries act from 2026, the runs from 2025)
    year = int(opened.view_eval("() => document.getElementById('year-label').textContent"))
    ab = opened.view_eval("y => JSON.parse(document.getElementById('titr-data').textContent)"
                          ".scenarios.map(s => s.totals.find(t => t.year === y).focus_t)", year)
    assert year >= 2026 and abs(ab[0] - ab[1]) > 1


def test_bad_inputs_are_refused_on_the_page(opened: Page) -> None:
    page = opened.page
    page.fill("#sim-reps", "99")  # the service allows at most 50 (GET /api/limits)
    assert "at most 50" in str(page.text_content("#msg-sim-reps"))
    assert page.is_disabled("#simulate")
    page.fill("#sim-reps", "2")
    assert not page.is_disabled("#simulate") and page.text_content("#msg-sim-reps") == ""


def test_a_job_runs_and_survives_a_reload(opened: Page) -> None:
    page = opened.page
    page.fill("#sim-reps", "2")
    page.click("#simulate")
    page.wait_for_selector("#pane-jobs:not([hidden])")
    page.wait_for_selector("#jobs td.state-done", timeout=90_000)
    page.wait_for_selector("#job-chart .main-svg")
    assert "median" in str(page.text_content("#job-result"))
    job = json.loads(str(page.evaluate("() => localStorage.getItem('titr.jobs')")))[0]
    page.reload()
    opened.wait_status("ok compare")  # the comparison comes back as it was
    page.click("#tab-jobs")
    page.wait_for_selector(f'#jobs tr[data-job="{job}"] td.state-done')
    assert page.locator("#runs li[data-run]").count() == 2


def test_nothing_left_the_machine_and_nothing_failed(opened: Page) -> None:
    assert opened.external == []
    assert opened.errors == []
