"""A simulation plan: the routes plus the shared resources they use, ready to run.

The plan is plain data (no network objects), so tests and benchmarks can write one by hand.
:func:`titr.sim.build.build_plan` makes one from a network and routes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from titr.sim.calendar import WeatherSpec
from titr.sim.stages import Route, Sea, Server

HANDLING_FIXED_SHARE = 1.0 / 6.0  # share of a full load's handling time that is fixed per call


@dataclass(frozen=True)
class FleetSpec:
    """The vessels of one fleet on a line. Loads are counted in ``unit`` (e.g. wagons).

    Handling (loading or unloading ``amount``) takes ``handling_fixed_h + handling_per_unit_h ×
    amount`` hours, and nothing when the amount is 0.
    """

    id: str
    vessels: int
    capacity: float
    sail_h: float
    handling_fixed_h: float
    handling_per_unit_h: float
    unit: str = ""

    def __post_init__(self) -> None:
        if self.vessels < 0 or self.capacity <= 0 or self.sail_h <= 0:
            raise ValueError(f"fleet {self.id!r}: vessels >= 0, capacity > 0, sail_h > 0")
        if self.handling_fixed_h < 0 or self.handling_per_unit_h < 0:
            raise ValueError(f"fleet {self.id!r}: handling times must not be negative")

    @classmethod
    def from_port_time(cls, id: str, vessels: int, capacity: float, sail_h: float,
                       port_time_h: float, unit: str = "") -> FleetSpec:
        """A fleet whose port call (unload a full load and load one) takes ``port_time_h``."""
        half = port_time_h / 2.0
        return cls(id, vessels, capacity, sail_h, half * HANDLING_FIXED_SHARE,
                   half * (1.0 - HANDLING_FIXED_SHARE) / capacity, unit)


@dataclass(frozen=True)
class SeaLine:
    """A sea service: its ports, fleets, departure rule and the weather that stops it.

    Vessels start at their home port (``from_port``, or ``to_port`` when ``home_reverse``).
    There the departure rule applies: ``"when-full"`` waits until the port queue holds
    ``min_load`` × capacity; ``"schedule"`` departs at the next multiple of ``headway_h`` with
    what is waiting. At the other port a vessel takes what is waiting when it has unloaded.
    Weather closures of ``weather`` areas stop departures from either port.
    """

    id: str
    from_port: str
    to_port: str
    distance_km: float
    fleets: tuple[FleetSpec, ...]
    departure: Literal["when-full", "schedule"] = "when-full"
    headway_h: float | None = None
    min_load: float = 1.0
    bidirectional: bool = True
    weather: tuple[str, ...] = ()
    home_reverse: bool = False

    def __post_init__(self) -> None:
        if self.departure == "schedule" and not (self.headway_h and self.headway_h > 0):
            raise ValueError(f"line {self.id!r}: a scheduled service needs a headway > 0")
        if not 0.0 <= self.min_load <= 1.0:
            raise ValueError(f"line {self.id!r}: min_load must be between 0 and 1")

    def port(self, reverse: bool) -> str:
        """The port where units of the given direction board."""
        return self.to_port if reverse else self.from_port


@dataclass(frozen=True)
class Plan:
    """Everything one replication needs.

    ``shares[(route, stage)]`` is, for a route's :class:`Sea` stage, how much of each fleet's
    capacity one unit uses (one number per fleet of the line, in the fleet's load unit).
    ``berths`` gives each port's berths (``None``: no limit); ports sharing berths share them
    between all lines that call there.
    """

    routes: tuple[Route, ...]
    lines: Mapping[str, SeaLine] = field(default_factory=dict)
    berths: Mapping[str, int | None] = field(default_factory=dict)
    weather: Mapping[str, WeatherSpec] = field(default_factory=dict)
    shares: Mapping[tuple[int, int], tuple[float, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [r.id for r in self.routes]
        if len(set(ids)) != len(ids):
            raise ValueError("route ids repeat")
        servers: dict[str, Server] = {}
        for i, route in enumerate(self.routes):
            for j, stage in enumerate(route.stages):
                if isinstance(stage, Sea):
                    line = self.lines.get(stage.service)
                    if line is None:
                        raise ValueError(f"route {route.id!r}: no sea service {stage.service!r}")
                    share = self.shares.get((i, j))
                    if share is None or len(share) != len(line.fleets):
                        raise ValueError(f"route {route.id!r}: no capacity share for "
                                         f"{stage.service!r} (one per fleet)")
                    for f, s in zip(line.fleets, share, strict=True):
                        if not 0 < s <= f.capacity:
                            raise ValueError(f"route {route.id!r}: a unit ({s:g} {f.unit}) "
                                             f"does not fit fleet {f.id!r}")
                    if stage.reverse and not line.bidirectional:
                        raise ValueError(f"route {route.id!r}: {stage.service!r} runs one way")
                elif isinstance(stage, Server):
                    other = servers.setdefault(stage.key, stage)
                    if _station(other) != _station(stage):
                        raise ValueError(f"station {stage.key!r} is described two ways; "
                                         "give every route the same servers and times")
        for line in self.lines.values():
            for area in line.weather:
                if area not in self.weather:
                    raise ValueError(f"line {line.id!r}: unknown weather area {area!r}")

    def distance_km(self, i: int) -> float:
        """Door-to-door distance of route ``i``: given, or legs plus sea crossings."""
        route = self.routes[i]
        if route.distance_km is not None:
            return route.distance_km
        total = 0.0
        for s in route.stages:
            if isinstance(s, Sea):
                total += self.lines[s.service].distance_km
            elif hasattr(s, "distance_km"):
                total += s.distance_km
        return total

    def sea_groups(self) -> list[tuple[str, ...]]:
        """Lines that must run in one event loop: those sharing a port with limited berths."""
        parent = {lid: lid for lid in self.lines}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        by_port: dict[str, list[str]] = defaultdict(list)
        for line in self.lines.values():
            for port in (line.from_port, line.to_port):
                if self.berths.get(port) is not None:
                    by_port[port].append(line.id)
        for ids in by_port.values():
            for other in ids[1:]:
                parent[find(other)] = find(ids[0])
        groups: dict[str, list[str]] = defaultdict(list)
        for lid in self.lines:
            groups[find(lid)].append(lid)
        return [tuple(sorted(g)) for g in groups.values()]

    def resources(self) -> list[tuple[str, list[tuple[int, int]]]]:
        """Shared resources in an order that lets each run after all it depends on.

        Returns ``(key, [(route, stage), …])`` pairs. A resource depends on another when some
        route visits the other first. Raises ``ValueError`` if routes visit them in a circle.
        """
        group_of = {lid: "sea:" + "+".join(g) for g in self.sea_groups() for lid in g}
        users: dict[str, list[tuple[int, int]]] = defaultdict(list)
        after: dict[str, set[str]] = defaultdict(set)
        first_seen: list[str] = []
        for i, route in enumerate(self.routes):
            prev = None
            for j, stage in enumerate(route.stages):
                if isinstance(stage, Sea):
                    key = group_of[stage.service]
                elif isinstance(stage, Server):
                    key = stage.key
                else:
                    continue
                if key not in users:
                    first_seen.append(key)
                elif any(u[0] == i for u in users[key]):
                    raise ValueError(f"route {route.id!r} passes {key!r} twice; split it into "
                                     "two routes")
                users[key].append((i, j))
                if prev is not None and prev != key:
                    after[key].add(prev)
                prev = key
        order: list[str] = []
        done: set[str] = set()
        pending = list(first_seen)
        while pending:
            ready = [k for k in pending if after[k] <= done]
            if not ready:
                raise ValueError("routes pass these resources in a circle, which the simulation "
                                 f"cannot order: {', '.join(pending)}")
            for k in ready:
                order.append(k)
                done.add(k)
            pending = [k for k in pending if k not in done]
        return [(k, users[k]) for k in order]


def _station(s: Server) -> tuple[object, ...]:
    return (s.node, s.kind, s.mean_h, s.cv, s.servers, s.open_hours)
