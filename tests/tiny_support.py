"""The tiny hand-built corridor (fixtures/tiny.toml) and small helpers to vary it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny.toml"


def tiny_raw() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text())


def fig(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": "HAND"}


def item(raw: dict[str, Any], coll: str, item_id: str) -> dict[str, Any]:
    return next(it for it in raw[coll] if it["id"] == item_id)
