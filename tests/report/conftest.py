"""Fixtures of the report tests: a busy variant of the tiny corridor whose ferry binds until a
project adds vessels, and the same without the project (for comparisons)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_support import busy, write_results

from browser_support import chromium


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
    with chromium() as b:
        yield b
