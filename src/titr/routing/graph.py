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

    _graph: nx.DiGraph | None = None

    def edge_of(self, virtual: str) -> str:
        return virtual[len(EDGE_PREFIX):].rstrip(">")

    @property
    def graph(self) -> nx.DiGraph:
        """The same graph for networkx (Yen's k-shortest paths), built on first use."""
        if self._graph is None:
            g = nx.DiGraph()
            g.add_nodes_from(self.vertices)
            g.add_weighted_edges_from(self.arcs)
            self._graph = g
        return self._graph


# Links and nodes a project leaves alone are the same objects in every year's network (see
# model.network), so their legs are computed once per cargo class and parameter set.
_LEGS: dict[tuple[int, int, int], tuple[tuple[Any, Any, Any], Leg, float]] = {}


def _cached(item: Any, cargo_id: str, net: Network, make: Any) -> tuple[Leg, float]:
    owners = (item, net.cargo[cargo_id], net.parameters)
    key = (id(item), id(owners[1]), id(owners[2]))
    hit = _LEGS.get(key)
    # ids can be reused once an object is gone: the stored objects must be the very same
    if hit is not None and all(a is b for a, b in zip(hit[0], owners, strict=True)):
        return hit[1], hit[2]
    if len(_LEGS) > 50_000:
        _LEGS.clear()
    leg = make()
    cost = generalized(leg, net, owners[1])
    _LEGS[key] = (owners, leg, cost)
    return leg, cost


def build_graph(net: Network, cargo_id: str,
                service_waits: dict[str, float] | None = None) -> CorridorGraph:
    """The graph for one cargo class; ``service_waits`` (hours) replaces the default wait for
    a departure on the named sea services (the assignment passes congested waits here)."""
    cargo = net.cargo[cargo_id]
    cg = CorridorGraph(net, cargo_id)
    node_cost = {}
    for node in net.nodes.values():
        leg, cost = _cached(node, cargo_id, net, lambda n=node: node_leg(n, cargo))
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
            leg, cost = _cached(link, cargo_id, net, lambda lk=link: link_leg(lk, cargo))
            add(link.id, link.from_, link.to, leg, link.bidirectional, cost)
    waits = service_waits or {}
    for service in net.services.values():
        if cargo_id in service.cargo and net.fleets_of(service.id):
            leg = service_leg(net, service, cargo, waits.get(service.id))
            if leg.hours != float("inf"):
                add(service.id, service.from_, service.to, leg, service.bidirectional,
                    generalized(leg, net, cargo))
    return cg
