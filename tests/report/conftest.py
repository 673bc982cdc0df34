"""Results files for the report tests: a busy variant of the tiny corridor whose ferry binds
until a project adds vessels, and the same without the project (for comparisons)."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from titr.assign import assess
from titr.model.loader import validate_raw
from titr.model.scenario import Scenario
from titr.report import save_extras

TINY = Path(__file__).parents[1] / "fixtures" / "tiny.toml"
CHROMIUM = "/usr/bin/chromium"
# Quiet flags checked in web-stack.md: nothing phones home while a test runs.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--mute-audio"]


def busy_raw() -> dict[str, Any]:
    raw = tomllib.loads(TINY.read_text())
    raw["id"], raw["name"] = "busy", "Busy tiny corridor"
    raw["demand"][0]["volume"][0]["value"] = 100_000  # TEU/yr: the ferry binds until 2023
    raw["projects"][0]["changes"][0]["value"]["value"] = 4  # four more vessels in 2023
    raw["projects"][0]["name"] = "Four more ferries"
    next(x for x in raw["links"] if x["id"] == "a-b")["capacity"] = {
        "value": 2_000_000, "unit": "t/yr", "source": "HAND"}
    raw["observed"] = [
        {"id": "ferry-tonnes-2021", "quantity": "tonnes", "year": 2021, "via": ["p-q"],
         "value": {"value": 250_000, "unit": "t", "source": "HAND"}},
        {"id": "ferry-teu-2024", "quantity": "teu", "year": 2024, "via": ["p-q"],
         "value": {"value": 50_000, "unit": "TEU", "assumption": "a guess for the test"}},
    ]
    return raw


def busy() -> Scenario:
    return validate_raw(copy.deepcopy(busy_raw()), str(TINY))


def write_results(sc: Scenario, path: Path) -> Path:
    res = assess(sc)
    res.save(path)
    save_extras(path, sc)
    return path


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
