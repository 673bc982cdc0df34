"""The network as of a year: the base scenario with every project opened by then applied."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from titr.model import paths
from titr.model.errors import Problem, TitrError
from titr.model.figures import Figure
from titr.model.schema import (
    CargoClass,
    Change,
    Corridor,
    Fleet,
    Link,
    Node,
    Parameters,
    SeaService,
    WeatherArea,
)

if TYPE_CHECKING:
    from titr.model.scenario import Scenario

_MODELS: dict[str, type[BaseModel]] = {
    "nodes": Node, "links": Link, "sea_services": SeaService, "fleets": Fleet,
    "weather": WeatherArea, "cargo": CargoClass, "corridors": Corridor,
}


@dataclass(frozen=True)
class Network:
    """Immutable view of the corridor in one year."""

    scenario_id: str
    year: int
    nodes: dict[str, Node]
    links: dict[str, Link]
    services: dict[str, SeaService]
    fleets: dict[str, Fleet]
    weather: dict[str, WeatherArea]
    cargo: dict[str, CargoClass]
    corridors: dict[str, Corridor]
    parameters: Parameters
    projects_open: tuple[str, ...] = field(default=())

    def fleets_of(self, service_id: str) -> list[Fleet]:
        return [f for f in self.fleets.values() if f.service == service_id]


def build_network(sc: Scenario, year: int, without: tuple[str, ...] = ()) -> Network:
    data = {name: [it.model_dump(by_alias=True, exclude_none=True) for it in sc.items(name)]
            for name in _MODELS}
    opened = []
    for project in sorted(sc.projects, key=lambda p: p.year):
        if project.year > year or project.id in without:
            continue
        for i, change in enumerate(project.changes):
            where = f"projects[{project.id}].changes[{i}]"
            apply_change(data, change, where, sc.path)
        opened.append(project.id)
    built: dict[str, dict[str, Any]] = {}
    for name, model in _MODELS.items():
        built[name] = {}
        for raw in data[name]:
            try:
                item = model.model_validate(raw)
            except ValidationError as e:
                raise TitrError([
                    Problem(sc.path, f"{name}[{raw.get('id')}] as of {year}",
                            f"{'.'.join(map(str, err['loc']))}: {err['msg']}",
                            "check the projects that change this item")
                    for err in e.errors()]) from None
            built[name][item.id] = item  # type: ignore[attr-defined]
    return Network(sc.id, year, built["nodes"], built["links"], built["sea_services"],
                   built["fleets"], built["weather"], built["cargo"], built["corridors"],
                   sc.parameters, tuple(opened))


def apply_change(data: dict[str, Any], change: Change, where: str, file: str = "") -> None:
    """Apply one project change to the raw collections (in place)."""
    try:
        if change.op == "add":
            coll = change.collection or ""
            if coll not in data:
                raise TitrError(Problem(file, where, f"cannot add to {coll!r}",
                                        f"use one of: {', '.join(data)}"))
            item = copy.deepcopy(change.item or {})
            if paths.find_item(data[coll], str(item.get("id"))) is not None:
                raise TitrError(Problem(file, where, f"{coll} already has {item.get('id')!r}",
                                        "use op = 'set' to change an existing item"))
            data[coll].append(item)
            return
        target = change.target or ""
        parts = paths.split(target)
        container, key = paths.locate(data, parts, target)
        if change.op == "remove":
            del container[key]
        elif change.op == "set":
            value = change.value
            container[key] = value.model_dump(exclude_none=True) \
                if isinstance(value, Figure) else value
        elif change.op == "increase":
            old = Figure.model_validate(container[key])
            assert isinstance(change.value, Figure)
            new_value = old.value + change.value.to(old.unit)
            container[key] = {**container[key], "value": new_value,
                              "source": list(dict.fromkeys(old.source + change.value.source))}
    except TitrError as e:
        raise TitrError([Problem(file, f"{where}: {p.where}" if p.where else where, p.what,
                                 p.fix) for p in e.problems]) from None
    except (ValueError, KeyError, TypeError) as e:
        raise TitrError(Problem(file, where, f"cannot apply change: {e}",
                                "check the target path and the value's unit")) from None
