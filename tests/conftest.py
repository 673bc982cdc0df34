"""Shared fixtures: the tiny hand-built corridor and a way to vary it."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from titr.model.loader import validate_raw
from titr.model.scenario import Scenario

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.toml"


def tiny_raw() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text())


def fig(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": "HAND"}


def item(raw: dict[str, Any], coll: str, item_id: str) -> dict[str, Any]:
    return next(it for it in raw[coll] if it["id"] == item_id)


@pytest.fixture
def tiny() -> Scenario:
    return validate_raw(tiny_raw(), str(TINY))


@pytest.fixture
def vary() -> Callable[[Callable[[dict[str, Any]], None]], Scenario]:
    """Build a scenario from the tiny one after a change to its raw data."""

    def make(change: Callable[[dict[str, Any]], None]) -> Scenario:
        raw = copy.deepcopy(tiny_raw())
        change(raw)
        return validate_raw(raw, str(TINY))

    return make
