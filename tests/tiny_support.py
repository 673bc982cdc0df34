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


def add_second_port(raw: dict[str, Any]) -> None:
    """A second port p2 beside p (rail b→p2 700 km) with its own one-vessel ferry p2→q; q is
    reached only by sea (q→z one way). Used by the assignment and route-choice tests."""
    raw["nodes"].append({"id": "p2", "country": "KZ", "lat": 42, "lon": 52, "kind": "port"})
    raw["links"].append({"id": "b-p2", "from": "b", "to": "p2", "mode": "rail",
                         "distance": fig(700, "km"), "speed": fig(50, "km/h"),
                         "tariff": fig(0.05, "USD/t/km")})
    raw["sea_services"].append({"id": "p2-q", "from": "p2", "to": "q", "kind": "rail-ferry",
                                "distance": fig(360, "km"), "cargo": ["container"],
                                "tariff": fig(20, "USD/t")})
    raw["fleets"].append({"id": "ferries2", "service": "p2-q", "vessels": fig(1, "vessels"),
                          "capacity": fig(50, "wagons"), "speed": fig(18, "km/h"),
                          "port_time": fig(10, "h")})
    item(raw, "links", "q-z")["bidirectional"] = False
    raw["projects"] = []


def paths_in(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path into nested dicts and lists (for mutating raw data)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths_in(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths_in(v, (*prefix, i))
    return out
