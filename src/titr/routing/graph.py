"""The multimodal graph of one year for one cargo class.

Each link or sea service becomes a small chain ``u → Arc(edge) → v`` so that parallel edges
(a ferry and a feeder between the same ports, a road beside a railway) stay distinct in a
simple directed graph, which k-shortest-path search needs. Entering a node costs its passage
(dwell, border, gauge change); origins and destinations pay none of their own.

Vertices are node ids (``str``) and :class:`Arc` values (an edge run one way), so nothing is
named by a string that has to be parsed back.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from titr.model.network import Network
from titr.routing.costs import Leg, allowed, generalized, link_leg, node_leg, service_leg


class Arc(NamedTuple):
    """A link or sea service run one way: ``reverse`` is against its written direction."""

    edge: str
    reverse: bool = False

    def __str__(self) -> str:
        """The edge id, with ">" when run in reverse (as result tables write it)."""
        return self.edge + (">" if self.reverse else "")


Vertex = str | Arc  # a node id, or an edge run one way


@dataclass
class CorridorGraph:
    network: Network
    cargo: str
    vertices: list[Vertex] = field(default_factory=list)  # nodes, then arcs
    arcs: list[tuple[Vertex, Vertex, float]] = field(default_factory=list)  # (u, v, USD/t)
    legs: dict[str, Leg] = field(default_factory=dict)  # edge id or node id → leg
    costs: dict[str, float] = field(default_factory=dict)  # the same → generalized USD/t
    ends: dict[Arc, tuple[str, str]] = field(default_factory=dict)  # arc → (from, to) nodes
    search: Any = None  # the ViaSearch built on first use
    shape: tuple[Any, ...] | None = None  # arcs, costs and corridors, when shared by content
    paths: dict[tuple[str, str, int], Any] = field(default_factory=dict)  # candidate paths

    _graph: nx.DiGraph | None = None

    @staticmethod
    def element(vertex: Vertex) -> str:
        """The node, link or sea service a vertex stands for."""
        return vertex.edge if isinstance(vertex, Arc) else vertex

    @property
    def graph(self) -> nx.DiGraph:
        """The same graph for networkx (Yen's k-shortest paths), built on first use."""
        if self._graph is None:
            g = nx.DiGraph()
            g.add_nodes_from(self.vertices)
            g.add_weighted_edges_from(self.arcs)
            self._graph = g
        return self._graph


@dataclass
class RoutingCache:
    """What routing keeps between years and iterations, in the scenario's shared cache.

    Links, nodes and sea services a project leaves alone are the same objects in every year's
    network (see model.network), so their legs are computed once per cargo class and parameter
    set (kept with the objects they came from, used only for those very objects). Each distinct
    leg (and cost) of an item gets a number; graphs are kept by the numbers of their legs and
    the ends of their edges: years whose graph for a cargo class is the same share one graph
    with its search and path sets; graphs whose arcs and costs are the
    same share the search (its Dijkstra trees and walks); graphs with the same vertices share
    the walks of their shortest-path trees where the trees are the same.
    """

    legs: dict[tuple[str, str, str], list[tuple[tuple[Any, ...], Leg, float, int]]] = field(
        default_factory=dict)
    graphs: dict[tuple[Any, ...], CorridorGraph] = field(default_factory=dict)
    searches: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    walks: dict[tuple[Any, ...], dict[Any, Any]] = field(default_factory=dict)  # by vertices
    # the corridor of each walk, by cargo class, vertices and corridors
    corridors: dict[tuple[Any, ...], dict[tuple[int, ...], str | None]] = field(
        default_factory=dict)
    # a search's layout of its graph (indices, vias), by the same
    layouts: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    # the path made of each walk, by the same (reused while its legs are the same objects)
    walk_paths: dict[tuple[Any, ...], dict[tuple[int, ...], Any]] = field(default_factory=dict)
    serials: Any = field(default_factory=itertools.count)
    # the leg of a node or link for a cargo class, by the ids of (item, cargo class): the
    # same as ``legs`` finds by identity, in one look-up (the entry keeps the objects alive,
    # and they are checked to be the very ones)
    plain: dict[tuple[int, int], tuple[Any, Any, Any, Leg, float, int]] = field(
        default_factory=dict)


def routing_cache(net: Network) -> RoutingCache:
    """The routing cache of the scenario this network comes from."""
    return cache_in(net.shared)


def cache_in(shared: dict[str, Any]) -> RoutingCache:
    """The routing cache in a scenario's shared cache (made on first use)."""
    cache = shared.get("routing")
    if not isinstance(cache, RoutingCache):
        cache = shared["routing"] = RoutingCache()
    return cache


def _leg(cache: RoutingCache, kind: str, item_id: str, owners: tuple[Any, ...], net: Network,
         make: Any) -> tuple[Leg, float, int]:
    """The leg of an item for a cargo class (``owners``: every object it depends on, the
    cargo class and parameters last), its generalized cost and its number."""
    kept = cache.legs.setdefault((kind, item_id, owners[-2].id), [])
    for objs, old, old_cost, number in kept:
        if len(objs) == len(owners) and all(map(operator.is_, objs, owners)):
            return old, old_cost, number
    leg = make()
    cost = generalized(leg, net, owners[-2])
    # an item changed in a way its leg does not show (a capacity), or an equal item of another
    # scenario (a what-if): the same leg keeps its number, so graphs and path sets are shared
    same = [n for _, lg, c, n in kept if lg == leg and c == cost]
    serial: int = same[0] if same else next(cache.serials)
    kept.append((owners, leg, cost, serial))
    del kept[:-8]  # a few versions of an item (an event on and off), not all of history
    return leg, cost, serial


def _service_owners(net: Network, service: Any) -> tuple[Any, ...]:
    """What a sea service's leg depends on: itself, its fleets, its ports and their weather."""
    ends = (net.nodes[service.from_], net.nodes[service.to])
    areas = tuple(net.weather.get(a) if a else None
                  for a in (service.weather, ends[0].weather, ends[1].weather))
    return (service, *net.fleets_of(service.id), *ends, *areas)


def _legs(net: Network, cargo_id: str, service_waits: dict[str, float] | None,
          cache: RoutingCache) -> tuple[list[tuple[str, Any, Leg, float]], list[Any]]:
    """(kind, item, leg, cost) of every node, link and sea service open to the cargo class,
    and what makes the graph: the numbers of the legs, with the ends of each edge (empty when
    ``service_waits`` makes the legs one-off)."""
    cargo, prm = net.cargo[cargo_id], net.parameters
    out: list[tuple[str, Any, Leg, float]] = []
    serials: list[Any] = []
    plain, of_cargo = cache.plain, id(cargo)
    for node in net.nodes.values():
        e = plain.get((id(node), of_cargo))
        if e is None or e[0] is not node or e[1] is not cargo or e[2] is not prm:
            leg, cost, n = _leg(cache, "node", node.id, (node, cargo, prm), net,
                                lambda x=node: node_leg(x, cargo))
            e = plain[id(node), of_cargo] = (node, cargo, prm, leg, cost, n)
        out.append(("node", node, e[3], e[4]))
        serials.append(e[5])
    for link in net.links.values():
        if allowed(link.cargo, cargo):
            e = plain.get((id(link), of_cargo))
            if e is None or e[0] is not link or e[1] is not cargo or e[2] is not prm:
                leg, cost, n = _leg(cache, "link", link.id, (link, cargo, prm), net,
                                    lambda x=link: link_leg(x, cargo))
                e = plain[id(link), of_cargo] = (link, cargo, prm, leg, cost, n)
            out.append(("link", link, e[3], e[4]))
            serials.append((e[5], link.from_, link.to, link.bidirectional))
    waits = service_waits or {}
    for service in net.services.values():
        if cargo_id not in service.cargo or not net.fleets_of(service.id):
            continue
        if service.id in waits:
            leg = service_leg(net, service, cargo, waits[service.id])
            cost = generalized(leg, net, cargo)
        else:
            leg, cost, n = _leg(cache, "service", service.id,
                                (*_service_owners(net, service), cargo, prm), net,
                                lambda x=service: service_leg(net, x, cargo))
            serials.append((n, service.from_, service.to, service.bidirectional))
        if leg.hours != float("inf"):
            out.append(("service", service, leg, cost))
    return out, serials if not waits else []


def _assemble(net: Network, cargo_id: str,
              legs: list[tuple[str, Any, Leg, float]]) -> CorridorGraph:
    cg = CorridorGraph(net, cargo_id)
    for kind, item, leg, cost in legs:
        cg.legs[item.id] = leg
        cg.costs[item.id] = cost
        if kind == "node":
            cg.vertices.append(item.id)
            continue
        for a, b, arc in ((item.from_, item.to, Arc(item.id)),
                          (item.to, item.from_, Arc(item.id, True))):
            if arc.reverse and not item.bidirectional:
                continue
            cg.ends[arc] = (a, b)
            cg.vertices.append(arc)
            cg.arcs.append((a, arc, cost))
            cg.arcs.append((arc, b, cg.costs[b]))
    return cg


def build_graph(net: Network, cargo_id: str,
                service_waits: dict[str, float] | None = None) -> CorridorGraph:
    """The graph for one cargo class; ``service_waits`` (hours) replaces the default wait for
    a departure on the named sea services (the assignment passes congested waits here)."""
    legs, _ = _legs(net, cargo_id, service_waits, routing_cache(net))
    return _assemble(net, cargo_id, legs)


def shared_graph(net: Network, cargo_id: str) -> CorridorGraph:
    """The graph for one cargo class at zero-flow waits, shared with every earlier year (of
    this scenario and the copies that share its cache) made of the same legs."""
    cache = routing_cache(net)
    legs, serials = _legs(net, cargo_id, None, cache)
    routes = (tuple((c.id, tuple(c.via)) for c in net.corridors.values()),
              tuple(sorted(net.services)))
    key = (cargo_id, tuple(serials), routes)
    if key not in cache.graphs:
        cg = _assemble(net, cargo_id, legs)
        cg.shape = (cargo_id, tuple(cg.vertices), tuple(cg.arcs), routes)
        cache.graphs[key] = cg
    return cache.graphs[key]
