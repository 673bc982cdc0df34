"""Routes from paths through the network: ``["a", "a-b", "b", "p", "p-q", "q", "z"]``.

A path is a list of node, link and sea-service ids. Between two consecutive nodes the link or
service joining them is found (it must be the only one); a link or service id may also be given
explicitly. Each node between the ends adds its stages, in this order: border crossing
(:class:`~titr.sim.stages.Server`, ``kind="border"``), gauge change (``kind="gauge"``) and
dwell (:class:`~titr.sim.stages.Dwell`). Links become :class:`~titr.sim.stages.Haul` stages and
sea services :class:`~titr.sim.stages.Sea` stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from titr.model.capacity import station_servers
from titr.model.demand import DemandRow
from titr.model.errors import fail
from titr.model.figures import Figure
from titr.model.network import Network
from titr.model.schema import CargoClass, Link, Node, SeaService
from titr.sim.build import counter_amount, tonnes_per
from titr.sim.stages import Dwell, Haul, Route, Sea, Server, Stage

SPEED_CV = 0.15  # spread of train and truck speeds when the network gives none
DWELL_CV = 0.5
BORDER_CV = 0.5
GAUGE_CV = 0.3
PARCEL_T = 1000.0  # a simulated unit of cargo counted only in tonnes (e.g. an oil parcel)


def _edges_between(net: Network, a: str, b: str) -> list[Link | SeaService]:
    out: list[Link | SeaService] = []
    edges: list[Link | SeaService] = [*net.links.values(), *net.services.values()]
    for e in edges:
        if (e.from_, e.to) == (a, b) or (e.bidirectional and (e.from_, e.to) == (b, a)):
            out.append(e)
    return out


def resolve_path(net: Network, path: Sequence[str]
                 ) -> list[tuple[Node, Link | SeaService | None, bool]]:
    """The path as (node, edge leaving it, is the edge travelled backwards) steps; the last
    step is the destination with no edge. Raises a clear error for unknown or ambiguous ids."""
    where = "path"
    nodes: list[str] = []
    edges: list[Link | SeaService | None] = []
    for item in path:
        if item in net.nodes:
            if nodes and len(edges) < len(nodes):
                edges.append(None)
            nodes.append(item)
        elif item in net.links or item in net.services:
            edge = net.links.get(item) or net.services[item]
            if not nodes:
                nodes.append(edge.from_)
            if len(edges) == len(nodes):
                raise fail(f"two edges in a row at {item!r}", where=where,
                           fix="put the node between them in the path")
            edges.append(edge)
        else:
            raise fail(f"unknown id {item!r} in the path", where=where,
                       fix=f"use node, link or sea service ids of the {net.year} network")
    if len(edges) == len(nodes):  # ends with an edge: add its far node
        last = edges[-1]
        assert last is not None
        nodes.append(last.to if last.from_ == nodes[-1] else last.from_)
    if len(nodes) < 2:
        raise fail("a path needs at least two nodes", where=where, fix="list the nodes passed")
    steps: list[tuple[Node, Link | SeaService | None, bool]] = []
    for k, given in enumerate(edges):
        a, b = nodes[k], nodes[k + 1]
        if given is None:
            found = _edges_between(net, a, b)
            if len(found) != 1:
                what = "no link or sea service" if not found else \
                    f"several ways ({', '.join(e.id for e in found)})"
                raise fail(f"{what} between {a!r} and {b!r}", where=where,
                           fix="name the link or sea service between them in the path")
            edge = found[0]
        else:
            edge = given
        if (edge.from_, edge.to) == (a, b):
            backwards = False
        elif edge.bidirectional and (edge.from_, edge.to) == (b, a):
            backwards = True
        else:
            raise fail(f"{edge.id!r} does not join {a!r} to {b!r}", where=where,
                       fix="check the order of the path")
        steps.append((net.nodes[a], edge, backwards))
    steps.append((net.nodes[nodes[-1]], None, False))
    return steps


def _servers(fig_servers: Figure | None, capacity: Figure | None, mean_h: float) -> int | None:
    """Servers given, or derived from a capacity counted in trains; else no limit."""
    return station_servers(fig_servers, capacity, mean_h)


def node_stages(node: Node, prev: str, nxt: str) -> list[Stage]:
    out: list[Stage] = []
    direction = f"{prev}>{nxt}"
    if node.border is not None:
        mean = node.border.time.to("h")
        cv = node.border.time_cv.to("1") if node.border.time_cv is not None else BORDER_CV
        out.append(Server(node.id, "border", mean, cv,
                          _servers(node.border.servers, node.border.capacity, mean),
                          direction=direction))
    if node.gauge_change is not None:
        mean = node.gauge_change.time.to("h")
        out.append(Server(node.id, "gauge", mean, GAUGE_CV,
                          _servers(None, node.gauge_change.capacity, mean),
                          direction=direction))
    if node.dwell is not None:
        cv = node.dwell_cv.to("1") if node.dwell_cv is not None else DWELL_CV
        out.append(Dwell(node.id, node.dwell.to("h"), cv))
    return out


def default_unit(cargo: CargoClass | None) -> tuple[str, float]:
    """The simulated unit of a cargo class: a TEU, a wagon or a truck, else a 1,000 t parcel."""
    for counter in ("TEU", "wagon", "truck"):
        if cargo is not None and counter in cargo.per:
            return counter, 1.0
    return "t", PARCEL_T


def route_from_path(net: Network, path: Sequence[str], units_per_year: float, cargo: str = "",
                    corridor: str | None = None, id: str | None = None,
                    unit: str | None = None, unit_size: float | None = None,
                    batch: int | None = None, speed_cv: float = SPEED_CV) -> Route:
    """A route along ``path`` carrying ``units_per_year`` units (see :func:`default_unit`).

    ``batch`` (units per train) defaults, on routes starting by rail, to the cargo class's
    tonnes per train over tonnes per unit; else 1. Routes starting with a deep-sea leg move
    in blocks of the same size: boxes on one ship share its delays anyway (a ship carries
    many trainloads), and millions of boxes a year then cost thousands of array entries.
    ``corridor`` defaults to the first corridor of the network whose ``via`` ids the path all
    uses.
    """
    klass = net.cargo.get(cargo)
    if unit is None:
        unit, size = default_unit(klass)
        unit_size = unit_size or size
    unit_size = unit_size or 1.0
    steps = resolve_path(net, path)
    stages: list[Stage] = []
    ids = {steps[0][0].id}
    distance = 0.0
    for k, (node, edge, backwards) in enumerate(steps):
        if k > 0:
            ids.add(node.id)
            if k < len(steps) - 1:
                stages += node_stages(node, steps[k - 1][0].id, steps[k + 1][0].id)
        if edge is None:
            continue
        ids.add(edge.id)
        distance += edge.distance.to("km")
        if isinstance(edge, SeaService):
            stages.append(Sea(edge.id, backwards))
        elif edge.speed is not None:
            stages.append(Haul(edge.id, edge.distance.to("km"), edge.speed.to("km/h"), speed_cv,
                              edge.mode.value))
        else:
            assert edge.time is not None
            stages.append(Haul(edge.id, edge.distance.to("km"),
                              edge.distance.to("km") / edge.time.to("h"), 0.0, edge.mode.value))
    if batch is None:
        batch = 1
        first = next((s for s in stages if isinstance(s, Haul)), None)
        if first is not None and first.mode in ("rail", "sea") and klass is not None \
                and "train" in klass.per:
            counter, size = counter_amount(unit, unit_size)
            batch = max(1, round(tonnes_per(klass, "train") / (size * tonnes_per(klass,
                                                                                  counter))))
    if corridor is None:
        corridor = next((c.id for c in net.corridors.values() if set(c.via) <= ids), "")
    rid = id or f"{steps[0][0].id}-{steps[-1][0].id}-{cargo or unit}"
    return Route(rid, tuple(stages), units_per_year, cargo, corridor, unit, unit_size, batch,
                 distance_km=distance)


def routes_from_demand(net: Network, rows: Sequence[DemandRow],
                       paths: Mapping[str, Sequence[str]]) -> list[Route]:
    """One route per demand row that has a path (by the row's id); volumes in the row's
    tonnes per year, converted to simulated units."""
    return routes_from_flows(net, [(paths[r.id], r.tonnes, r.cargo, r.corridor, r.id)
                                   for r in rows if r.id in paths])


def path_ids(nodes: Sequence[str], edges: Sequence[str]) -> list[str]:
    """``[n0, e0, n1, e1, …, nk]`` from a path's nodes and the links/services between them
    (e.g. a :class:`titr.routing.corridor_paths.Path`'s ``nodes`` and ``edges``)."""
    if len(edges) != len(nodes) - 1:
        raise ValueError("a path has one edge fewer than nodes")
    out = [nodes[0]]
    for edge, node in zip(edges, nodes[1:], strict=True):
        out += [edge, node]
    return out


def routes_from_flows(net: Network, flows: Iterable[tuple[Sequence[str], float, str, str | None,
                                                           str]]) -> list[Route]:
    """Routes from assigned flows: ``(path ids, tonnes per year, cargo, corridor, id)`` each,
    the tonnes converted to the cargo class's simulated unit (:func:`default_unit`)."""
    out = []
    for ids, tonnes, cargo, corridor, rid in flows:
        klass = net.cargo.get(cargo)
        unit, size = default_unit(klass)
        per_unit = size * tonnes_per(klass, unit)
        out.append(route_from_path(net, ids, tonnes / per_unit, cargo, corridor, rid, unit,
                                   size))
    return out
