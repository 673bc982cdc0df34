"""The user guide builds without a single warning, and every example in it runs.

``mkdocs build --strict`` runs each code block of the guide (markdown-exec) against this
checkout, so a change that breaks an example, a link, a docstring the API reference renders or
a scenario field without a documented meaning fails this test. The site must work offline: no
page may load anything from another host.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from axe_support import axe_violations, grave
from browser_support import chromium

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("index.html", "getting-started.html", "questions/capacity.html",
         "questions/door-to-door.html", "questions/ferries.html", "questions/closure.html",
         "own-corridor.html", "how-it-works.html", "data-and-sources.html",
         "reference/scenario-format.html", "reference/cli.html", "reference/api.html",
         "reference/results.html")
REMOTE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
                    re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    bindir = str(Path(sys.executable).parent)  # the `titr` command of this environment
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("TITR_DOCS_TIMING", None)
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=out.parent, env=env, capture_output=True, text=True, timeout=1200, check=False)
    log = r.stdout + r.stderr
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert r.returncode == 0 and not warnings, "mkdocs build --strict failed:\n" + log[-30000:]
    return out


@pytest.mark.slow
def test_every_page_is_built(site: Path) -> None:
    missing = [p for p in PAGES if not (site / p).is_file()]
    assert not missing


@pytest.mark.slow
def test_examples_ran(site: Path) -> None:
    start = (site / "getting-started.html").read_text(encoding="utf-8")
    assert "results: titr-out/assessment.duckdb" in start  # `titr assess` ran and wrote
    for page in PAGES:
        html = (site / page).read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in html, page


@pytest.mark.slow
def test_site_loads_nothing_from_other_hosts(site: Path) -> None:
    remote = [str(p.relative_to(site)) for p in site.rglob("*.html")
              if REMOTE.search(p.read_text(encoding="utf-8"))]
    assert not remote, f"pages loading remote assets: {remote}"


@pytest.mark.slow
def test_build_leaves_the_checkout_clean(site: Path) -> None:
    # the examples run in a scratch folder (docs/_tools/hooks.py), never in the repository
    assert not (ROOT / "docs" / "titr-out").exists()
    assert not (ROOT / "docs" / "examples" / "broken.toml").exists()


QUESTIONS = ("capacity", "door-to-door", "ferries", "closure")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium (never `playwright install`)."""
    with chromium() as b:
        yield b


def _open(browser: Any, url: str, width: int = 1440, height: int = 900) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:  # anything else would leave the machine
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, outside


@pytest.mark.slow
@pytest.mark.browser
def test_search_works_from_a_file(site: Path, browser: Any) -> None:
    # mkdocs-material's offline plugin: the index ships as a script, no fetch() needed
    page, outside = _open(browser, (site / "index.html").as_uri())
    try:
        page.fill(".md-search__input", "ferries")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        assert page.locator(".md-search-result__item").count() > 0
        assert "Initializing" not in (page.text_content(".md-search-result__meta") or "")
        assert outside == []
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("name", QUESTIONS)
def test_each_question_shows_its_figure_and_fits_a_phone(site: Path, browser: Any,
                                                         name: str) -> None:
    page, outside = _open(browser, (site / "questions" / f"{name}.html").as_uri(), 390, 844)
    try:
        figure = page.locator("figure.titr-figure")
        assert figure.count() >= 1
        assert figure.first.locator("svg polyline, svg rect").count() >= 2  # data drawn
        assert (figure.first.locator("figcaption").text_content() or "").strip()
        assert figure.first.bounding_box()["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert grave(axe_violations(page)) == []
        assert outside == []
    finally:
        page.close()
