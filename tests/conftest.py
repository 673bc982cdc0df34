"""Shared fixtures: the tiny hand-built corridor and a way to vary it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tiny_support import TINY, tiny_raw
from titr.model.loader import validate_raw
from titr.model.scenario import Scenario


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
