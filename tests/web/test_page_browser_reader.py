"""The workbench on a desktop (1440×900) and a phone (390×844): it fits the screen, passes
axe-core, checks every input against the service's own limits before a run, names a run
from its levers unless the user types a name, dims the old result while it computes, and
keeps its state in the address so that a reload or a shared link shows the same view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from axe_support import axe_violations, grave

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
START = "/?first=2025&last=2028"


class Opened:
    def __init__(self, browser: Any, server: str, size: tuple[int, int]) -> None:
        self.server, self.external, self.errors = server, [], []
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)

    def _route(self, r: Any) -> None:
        if r.request.url.startswith((self.server + "/", "data:", "blob:", "about:")):
            r.continue_()
        else:  # anything else would leave the machine
            self.external.append(r.request.url)
            r.abort()

    def go(self, path: str) -> None:
        self.page.goto(self.server + path)
        self.wait_view()

    def wait_view(self) -> str:
        self.page.wait_for_function(
            "() => { const s = document.getElementById('status').textContent;"
            " return /^(ok (run|compare)|ERROR)/.test(s)"
            " && !document.getElementById('view-wrap').classList.contains('busy'); }",
            timeout=90_000)
        status = str(self.page.text_content("#status"))
        assert status.startswith("ok"), status
        return status

    def view_year(self) -> int:
        return int(self.page.frames[1].evaluate(
            "() => document.getElementById('year-label').textContent"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def phone(browser: Any, server: str) -> Iterator[Opened]:
    o = Opened(browser, server, VIEWPORTS["phone"])
    yield o
    o.close()


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_fits_and_is_accessible(browser: Any, server: str, view: str) -> None:
    o = Opened(browser, server, VIEWPORTS[view])
    try:
        o.go(START)
        p = o.page
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[view][0], f"sideways scroll: {width} px"
        frame = p.locator("#view").bounding_box()
        assert frame["width"] >= (380 if view == "phone" else 900), frame
        inner = p.frames[1].evaluate("document.documentElement.scrollWidth")
        assert inner <= frame["width"] + 1, inner
        if view == "phone":  # the levers wait in a drawer
            assert not p.locator("#lever-kz_ferries").is_visible()
            p.click("#levers-toggle")
            p.locator("#lever-kz_ferries").wait_for(state="visible")
            assert p.get_attribute("#levers-toggle", "aria-expanded") == "true"
            p.keyboard.press("Escape")
            p.locator("#lever-kz_ferries").wait_for(state="hidden")
        bad = grave(axe_violations(p))
        assert bad == [], bad
        assert o.external == [] and o.errors == []
    finally:
        o.close()


def test_inputs_checked_against_the_services_limits(phone: Opened, server: str) -> None:
    limits = httpx.get(server + "/api/limits").json()
    # the API's own bounds (schemas.Levers) for its levers, the scenario's study for its own
    assert limits["levers"]["market_factor"]["minimum"] == 0.1
    assert limits["replications"]["maximum"] == 50
    levers = httpx.get(server + "/api/scenarios/middle-corridor").json()["levers"]
    ferries = next(d for d in levers if d["key"] == "kz_ferries")
    assert (ferries["integer"], ferries["min"], ferries["max"]) == (True, 0, 20)  # its [study]
    bounds = {"minimum": 0, "maximum": 20}
    phone.go(START)
    p = phone.page
    p.click("#levers-toggle")
    field = p.locator("#lever-kz_ferries")
    cases = {"2.5": "whole", "-5": f"at least {bounds['minimum']}",
             str(bounds["maximum"] + 1): f"at most {bounds['maximum']}",
             "1e3": f"at most {bounds['maximum']}", "": "enter", "abc": "not a number"}
    for text, says in cases.items():
        field.fill(text)
        assert says in str(p.text_content("#msg-kz_ferries")), (text, says)
        assert field.get_attribute("aria-invalid") == "true"
        assert p.is_disabled("#run") and p.is_disabled("#simulate")
    field.fill(str(bounds["maximum"]))  # the edge itself is allowed, as by the API
    assert p.text_content("#msg-kz_ferries") == "" and not p.is_disabled("#run")


def test_run_name_busy_state_and_address(browser: Any, server: str, phone: Opened) -> None:
    phone.go(START)
    p = phone.page
    p.click("#levers-toggle")
    p.locator("#lever-kz_ferries").fill("9")
    assert p.get_attribute("#run-label", "placeholder") == (
        "Kazakh rail ferries (Kuryk–Alat) 9 from 2026")
    p.locator("#run-label").fill("my name")
    p.locator("#lever-kz_ferries").fill("8")  # a typed name stays...
    assert p.input_value("#run-label") == "my name"
    p.click("#run")
    p.wait_for_selector("#view-wrap.busy #view-busy:not([hidden])")  # old result dimmed
    phone.wait_view()
    assert p.input_value("#run-label") == ""  # ...for one run; then the levers name it again
    assert p.text_content("#runs li[data-run] .name") == "my name"
    q = parse_qs(urlparse(p.url).query)
    assert q["kz_ferries"] == ["8"] and q["first"] == ["2025"] and "run" in q
    # A and B from the address: a new browser (no local storage) shows the same comparison
    p.click("#levers-toggle")  # A: the plan (first run), B: the run just made
    p.click("#compare")
    p.wait_for_function("() => document.getElementById('status').textContent"
                        ".startsWith('ok compare')", timeout=90_000)
    year = phone.view_year()
    shared = p.url
    q = parse_qs(urlparse(shared).query)
    assert {"a", "b", "year"} <= set(q) and q["year"] == [str(year)]
    other = Opened(browser, server, VIEWPORTS["desktop"])
    try:
        other.go(shared[len(server):])
        assert str(other.page.text_content("#status")).startswith("ok compare")
        assert other.view_year() == year
        assert other.page.input_value("#lever-kz_ferries") == "8"
        assert other.errors == [] and other.external == []
    finally:
        other.close()
