"""Fixtures of the report tests: a busy variant of the tiny corridor whose ferry binds until a
project adds vessels, and the same without the project (for comparisons)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_support import CHROMIUM, CHROMIUM_ARGS, busy, write_results


@pytest.fixture(scope="session")
def results_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("results")


@pytest.fixture(scope="session")
def busy_db(results_dir: Path) -> Path:
    """Scenario A: the busy corridor with its ferry project."""
    return write_results(busy(), results_dir / "busy.duckdb")


@pytest.fixture(scope="session")
def slow_db(results_dir: Path) -> Path:
    """Scenario B: the same without the ferry project, so the ferry binds every year."""
    sc = busy().without("more-ferries")
    return write_results(sc, results_dir / "slow.duckdb")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium per test module (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see web-stack.md)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
