"""Helpers of the report tests (a uniquely named module: `conftest` is ambiguous here)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from titr.assign import assess
from titr.model.loader import validate_raw
from titr.model.scenario import Scenario
from titr.report import save_extras

TINY = Path(__file__).parents[1] / "fixtures" / "tiny.toml"


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
