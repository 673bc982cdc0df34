"""``--set path=value`` overrides, applied to a scenario's raw data before it is validated.

A path names an item by collection and id (``fleets.<fleet id>.vessels``; singular collection
names work too). An item added by a project is found inside that project. A bare number given
for a figure keeps the figure's unit and marks it as an assumption set by the user; ``"12 kn"``
gives a new unit as well.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from titr.model import field_paths
from titr.model.errors import fail

if TYPE_CHECKING:
    from titr.model.scenario import Scenario

OVERRIDE_NOTE = "set by the user (override)"


def parse_assignments(assignments: dict[str, Any] | list[str]) -> dict[str, Any]:
    if isinstance(assignments, dict):
        return dict(assignments)
    out: dict[str, Any] = {}
    for text in assignments:
        if "=" not in text:
            raise fail(f"override {text!r} has no '='", where="--set",
                       fix="write --set collection.id.field=value, e.g. "
                           "--set fleets.<fleet id>.vessels=10")
        key, value = text.split("=", 1)
        out[key.strip()] = _scalar(value.strip())
    return out


def _scalar(text: str) -> Any:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def normalise(path: str) -> str:
    from titr.model.scenario import ALIASES

    head, _, rest = path.partition(".")
    return f"{ALIASES.get(head, head)}.{rest}" if rest else path


def apply_to_raw(raw: dict[str, Any], assignments: dict[str, Any]) -> None:
    """Apply overrides in place to a raw (dict) scenario."""
    for path, value in assignments.items():
        path = normalise(path)
        parts = field_paths.split(path)
        target = _target_data(raw, parts, path)
        container, key = field_paths.locate(target, parts, path)
        if isinstance(container, dict) and key not in container:
            container[key] = _absent_value(value, path)
            continue
        old = container[key]
        container[key] = _new_value(old, value, path)


def _target_data(raw: dict[str, Any], parts: list[str], path: str) -> dict[str, Any]:
    """The dict to resolve the path in: the scenario itself, or a project's added item."""
    coll, item_id = parts[0], parts[1]
    if coll == "parameters" or field_paths.find_item(raw.get(coll, []) or [], item_id) is not None:
        return raw
    for project in raw.get("projects", []):
        for change in project.get("changes", []):
            item = change.get("item") or {}
            if change.get("collection") == coll and item.get("id") == item_id:
                return {coll: [item]}
    if coll not in raw:
        raise fail(f"unknown collection {coll!r}", where=path,
                   fix="start the path with nodes, links, sea_services, fleets, weather, "
                       "cargo, demand, corridors, projects or parameters")
    return raw


_WITH_UNIT = re.compile(r"^\s*([-+0-9.eE]+)\s+(\S.*)$")


def _absent_value(value: Any, path: str) -> Any:
    """A field the item does not give yet: a figure needs its unit ("5 Mt/yr")."""
    if isinstance(value, str):
        m = _WITH_UNIT.match(value)
        if m:
            return {"value": float(m.group(1)), "unit": m.group(2),
                    "assumption": OVERRIDE_NOTE}
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise fail(f"{path} is not given in the scenario, so its unit is unknown", where=path,
                   fix="give the value with its unit, e.g. --set " + path + "='5 Mt/yr'")
    return value


def _new_value(old: Any, value: Any, path: str) -> Any:
    if isinstance(old, dict) and {"value", "unit"} <= old.keys():
        unit = old["unit"]
        if isinstance(value, str):
            m = _WITH_UNIT.match(value)
            if not m:
                raise fail(f"{value!r} is not a number", where=path,
                           fix=f"give a number (in {unit}) or a number and a unit")
            value, unit = float(m.group(1)), m.group(2)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"{value!r} is not a number", where=path, fix=f"give a number in {unit}")
        return {"value": float(value), "unit": unit, "assumption": OVERRIDE_NOTE}
    return value


def apply_overrides(sc: Scenario, assignments: dict[str, Any] | list[str]) -> Scenario:
    from titr.model.loader import validate_raw

    raw = sc.model_dump(by_alias=True, exclude_none=True)
    apply_to_raw(raw, parse_assignments(assignments))
    return validate_raw(raw, sc.path)
