"""The multimodal graph of one year for one cargo class.

Each link or sea service becomes a small chain ``u → [edge id] → v`` so that parallel edges
(a ferry and a feeder between the same ports, a road beside a railway) stay distinct in a
simple directed graph, which k-shortest-path search needs. Entering a node costs its passage
(dwell, border, gauge change); origins and destinations pay none of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from titr.model.network import Network
from titr.routing.costs import Leg, allowed, generalized, link_leg, node_leg, service_leg

EDGE_PREFIX = "@"  # virtual nodes standing for an edge are named "@<edge id>[>]"


@dataclass
class CorridorGraph:
    network: Network
    cargo: str
    vertices: list[str] = field(default_factory=list)  # nodes, then virtual edge nodes
    arcs: list[tuple[str, str, float]] = field(default_factory=list)  # (u, v, USD/t)
    legs: dict[str, Leg] = field(default_factory=dict)  # edge id or node id → leg
    costs: dict[str, float] = field(default_factory=dict)  # the same → generalized USD/t
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)  # virtual node → (u, v)
    search: Any = None  # the ViaSearch built on first use
    shape: tuple[Any, ...] | None = None  # arcs, costs and corridors, when shared by content
    paths: dict[tuple[str, str, int], Any] = field(default_factory=dict)  # candidate paths

    _graph: nx.DiGraph | None = None

    def edge_of(self, virtual: str) -> str:
        return virtual[len(EDGE_PREFIX):].rstrip(">")

    def element(self, vertex: str) -> str:
        """The node, link or sea service a vertex stands for."""
        return self.edge_of(vertex) if vertex in self.ends else vertex

    def is_reverse(self, vertex: str) -> bool:
        """Does this virtual vertex run its edge against the written direction?"""
        return vertex in self.ends and vertex.endswith(">")

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

    Links and nodes a project leaves alone are the same objects in every year's network (see
    model.network), so their legs are computed once per cargo class and parameter set (kept
    with the objects they came from, and used only for those very objects). Graphs are kept by
    content: years whose graph for a cargo class is the same (same arcs, costs and legs) share
    one graph with its search and path sets; years whose arcs and costs are the same share
    the search (its Dijkstra trees and walks).
    """

    legs: dict[tuple[str, str, str], list[tuple[Any, Any, Any, Leg, float]]] = field(
        default_factory=dict)
    graphs: dict[tuple[Any, ...], CorridorGraph] = field(default_factory=dict)
    searches: dict[tuple[Any, ...], Any] = field(default_factory=dict)


def routing_cache(net: Network) -> RoutingCache:
    """The routing cache of the scenario this network comes from."""
    cache = net.shared.get("routing")
    if not isinstance(cache, RoutingCache):
        cache = net.shared["routing"] = RoutingCache()
    return cache


def _cached(cache: RoutingCache, kind: str, item: Any, cargo_id: str, net: Network,
            make: Any) -> tuple[Leg, float]:
    owners = (item, net.cargo[cargo_id], net.parameters)
    kept = cache.legs.setdefault((kind, item.id, cargo_id), [])
    for *objs, leg, cost in kept:
        if all(a is b for a, b in zip(objs, owners, strict=True)):
            return leg, cost
    leg = make()
    cost = generalized(leg, net, owners[1])
    kept.append((*owners, leg, cost))
    del kept[:-4]  # a few versions of an item (an event on and off), not all of history
    return leg, cost


def build_graph(net: Network, cargo_id: str,
                service_waits: dict[str, float] | None = None) -> CorridorGraph:
    """The graph for one cargo class; ``service_waits`` (hours) replaces the default wait for
    a departure on the named sea services (the assignment passes congested waits here)."""
    cargo = net.cargo[cargo_id]
    cache = routing_cache(net)
    cg = CorridorGraph(net, cargo_id)
    node_cost = {}
    for node in net.nodes.values():
        leg, cost = _cached(cache, "node", node, cargo_id, net,
                            lambda n=node: node_leg(n, cargo))
        cg.legs[node.id] = leg
        node_cost[node.id] = cg.costs[node.id] = cost
        cg.vertices.append(node.id)

    def add(edge_id: str, u: str, v: str, leg: Leg, both: bool, cost: float) -> None:
        cg.legs[edge_id] = leg
        cg.costs[edge_id] = cost
        for a, b, name in ((u, v, EDGE_PREFIX + edge_id), (v, u, EDGE_PREFIX + edge_id + ">")):
            if name.endswith(">") and not both:
                continue
            cg.ends[name] = (a, b)
            cg.vertices.append(name)
            cg.arcs.append((a, name, cost))
            cg.arcs.append((name, b, node_cost[b]))

    for link in net.links.values():
        if allowed(link.cargo, cargo):
            leg, cost = _cached(cache, "link", link, cargo_id, net,
                                lambda lk=link: link_leg(lk, cargo))
            add(link.id, link.from_, link.to, leg, link.bidirectional, cost)
    waits = service_waits or {}
    for service in net.services.values():
        if cargo_id in service.cargo and net.fleets_of(service.id):
            leg = service_leg(net, service, cargo, waits.get(service.id))
            if leg.hours != float("inf"):
                add(service.id, service.from_, service.to, leg, service.bidirectional,
                    generalized(leg, net, cargo))
    return cg


def shared_graph(net: Network, cargo_id: str) -> CorridorGraph:
    """The graph for one cargo class at zero-flow waits, shared with every earlier year (of
    this scenario and the copies that share its cache) whose graph is the same."""
    cg = build_graph(net, cargo_id)
    cache = routing_cache(net)
    routes = (tuple((c.id, tuple(c.via)) for c in net.corridors.values()),
              tuple(sorted(net.services)))
    shape = (cargo_id, tuple(cg.vertices), tuple(cg.arcs), routes)
    key = (shape, tuple(cg.legs.items()))
    hit = cache.graphs.get(key)
    if hit is not None:
        return hit
    cg.shape = shape
    cache.graphs[key] = cg
    return cg
