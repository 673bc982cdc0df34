"""The network as of a year: the base scenario with every project opened by then applied."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from titr.model import field_paths
from titr.model.errors import Problem, TitrError
from titr.model.figures import Figure
from titr.model.schema import (
    CargoClass,
    Change,
    Corridor,
    CorridorGroup,
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
    projects_open: tuple[str, ...] = field(default=())  # projects, then events in force
    events: tuple[str, ...] = field(default=())  # the events in force this year
    groups: dict[str, CorridorGroup] = field(default_factory=dict)
    focus_group: str = "middle"  # the group the study is about (Scenario.focus_group)
    # corridor group → share of contestable shippers avoiding it (events' segments this year)
    avoided: dict[str, float] = field(default_factory=dict)
    # the scenario's shared cache (Scenario.shared_cache): legs, graphs and path sets
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def derived(self) -> dict[Any, Any]:
        """Figures derived from this year's network alone, kept with it (e.g. fleet
        capacities, see model.capacity)."""
        return {}

    def fleets_of(self, service_id: str) -> list[Fleet]:
        return list(self._fleets_by_service.get(service_id, ()))

    @cached_property
    def _fleets_by_service(self) -> dict[str, list[Fleet]]:
        """Sea service → its fleets, in the scenario's order (found once, asked often)."""
        out: dict[str, list[Fleet]] = {}
        for f in self.fleets.values():
            out.setdefault(f.service, []).append(f)
        return out


def build_network(sc: Scenario, year: int, without: tuple[str, ...] = ()) -> Network:
    # projects opened by then, then the events in force that year (in order of start)
    opened = tuple(p.id for p in sorted(sc.projects, key=lambda p: p.year)
                   if p.year <= year and p.id not in without) + \
        tuple(e.id for e in sc.events_in(year) if e.id not in without)
    # Years with the same projects open share one network (items are immutable); the cache
    # lives on the scenario and holds items only, so parameters always come from ``sc``.
    cache = sc.network_cache()
    if opened not in cache:
        cache[opened] = _build_items(sc, opened, year)
        _share_with_origin(sc, cache[opened], year)
    items = cache[opened]
    event_ids = {e.id for e in sc.events}
    return Network(sc.id, year, items["nodes"], items["links"], items["sea_services"],
                   items["fleets"], items["weather"], items["cargo"], items["corridors"],
                   sc.parameters, opened, tuple(i for i in opened if i in event_ids),
                   corridor_groups(sc), sc.focus_group, avoided_groups(sc, year, without),
                   sc.shared_cache())


_NETWORK_ATTRS = {"nodes": "nodes", "links": "links", "sea_services": "services",
                  "fleets": "fleets", "weather": "weather", "cargo": "cargo",
                  "corridors": "corridors"}


def _share_with_origin(sc: Scenario, items: dict[str, dict[str, Any]], year: int) -> None:
    """A scenario derived from another (a what-if, see ``loader.validate_raw``): each item of
    this network equal to the item of the same id in the other's network of the same year is
    that very object, so what was derived from it there (legs, graphs) is found by identity.
    Equal objects: the network is the same."""
    origin = sc.shared_cache().get(DERIVED_FROM)
    if origin is None:
        return
    twin = origin.network(year)
    for name, attr in _NETWORK_ATTRS.items():
        theirs, mine = getattr(twin, attr), items[name]
        for item_id, it in mine.items():
            other = theirs.get(item_id)
            if other is not None and other is not it and other == it:
                mine[item_id] = other


DERIVED_FROM = "derived from"  # the shared cache's entry naming the scenario this one came from


def avoided_groups(sc: Scenario, year: int, without: tuple[str, ...] = ()) -> dict[str, float]:
    """Share of contestable shippers avoiding each corridor group in ``year`` (events)."""
    out: dict[str, float] = {}
    for e in sc.events_in(year):
        if e.id not in without:
            for a in e.avoided:
                out[a.group] = out.get(a.group, 0.0) + a.share.to("1")
    return out


def corridor_groups(sc: Scenario) -> dict[str, CorridorGroup]:
    """The nests of route choice: the scenario's corridor groups, plus a plain one (μ = 1)
    for each group a corridor names that is not described."""
    groups = {g.id: g for g in sc.corridor_groups}
    for c in sc.corridors:
        groups.setdefault(c.group, CorridorGroup(id=c.group, name=c.group))
    return groups


def _build_items(sc: Scenario, opened: tuple[str, ...], year: int) -> dict[str, dict[str, Any]]:
    base = {name: {it.id: it for it in sc.items(name)} for name in _MODELS}
    data = {name: [it.model_dump(by_alias=True, exclude_none=True) for it in sc.items(name)]
            for name in _MODELS}
    touched: set[tuple[str, str]] = set()
    by_id: dict[str, Any] = {p.id: p for p in sc.projects}
    events = {e.id for e in sc.events}
    by_id.update({e.id: e for e in sc.events})
    for pid in opened:
        project = by_id[pid]
        for i, change in enumerate(project.changes):
            kind = "events" if pid in events else "projects"
            where = f"{kind}[{project.id}].changes[{i}]"
            apply_change(data, change, where, sc.path)
            if change.op == "add":
                touched.add((change.collection or "", str((change.item or {}).get("id"))))
            else:
                parts = (change.target or "").split(".")
                touched.add((parts[0], parts[1] if len(parts) > 1 else ""))
    built: dict[str, dict[str, Any]] = {}
    for name, model in _MODELS.items():
        built[name] = {}
        for raw in data[name]:
            item_id = raw.get("id")
            if (name, item_id) not in touched and item_id in base[name]:
                built[name][item_id] = base[name][item_id]  # unchanged: no need to re-check
                continue
            try:
                item = model.model_validate(raw)
            except ValidationError as e:
                raise TitrError([
                    Problem(sc.path, f"{name}[{raw.get('id')}] as of {year}",
                            f"{'.'.join(map(str, err['loc']))}: "
                            f"{str(err['msg']).removeprefix('Value error, ')}",
                            "check the projects that change this item")
                    for err in e.errors()]) from None
            built[name][item.id] = item  # type: ignore[attr-defined]
    return built


def apply_change(data: dict[str, Any], change: Change, where: str, file: str = "") -> None:
    """Apply one project change to the raw collections (in place)."""
    try:
        if change.op == "add":
            coll = change.collection or ""
            if coll not in data:
                raise TitrError(Problem(file, where, f"cannot add to {coll!r}",
                                        f"use one of: {', '.join(data)}"))
            item = copy.deepcopy(change.item or {})
            if field_paths.find_item(data[coll], str(item.get("id"))) is not None:
                raise TitrError(Problem(file, where, f"{coll} already has {item.get('id')!r}",
                                        "use op = 'set' to change an existing item"))
            data[coll].append(item)
            return
        target = change.target or ""
        parts = field_paths.split(target)
        container, key = field_paths.locate(data, parts, target)
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
