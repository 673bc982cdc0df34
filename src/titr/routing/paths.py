"""Paths through the corridor graph: k-shortest by generalized cost, and the best path of each
named corridor (middle-aktau, middle-kuryk, northern, suez, cape …)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from titr.model.errors import fail
from titr.model.schema import Corridor
from titr.routing.costs import Leg, generalized
from titr.routing.graph import EDGE_PREFIX, CorridorGraph


@dataclass(frozen=True)
class Path:
    origin: str
    destination: str
    cargo: str
    nodes: tuple[str, ...]  # real nodes, origin first
    edges: tuple[str, ...]  # link and sea service ids, in order
    arcs: tuple[str, ...]  # the same, with ">" appended when run against the link's direction
    legs: tuple[Leg, ...]  # edges and intermediate node passages, in order
    corridor: str | None
    cost: float  # generalized, USD/t

    @property
    def hours(self) -> float:
        return sum(leg.hours for leg in self.legs)

    @property
    def days(self) -> float:
        return self.hours / 24.0

    @property
    def usd(self) -> float:
        return sum(leg.usd for leg in self.legs)

    @property
    def co2(self) -> float:
        return sum(leg.co2 for leg in self.legs)

    @property
    def km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @property
    def wait_hours(self) -> float:
        return sum(leg.wait_hours for leg in self.legs)

    @property
    def uses(self) -> frozenset[str]:
        return frozenset(self.nodes) | frozenset(self.edges)

    @property
    def key(self) -> tuple[str, ...]:
        return self.edges


def corridor_of(uses: frozenset[str], corridors: list[Corridor]) -> str | None:
    """The first corridor (in scenario order) all of whose ``via`` ids the path uses."""
    for c in corridors:
        if all(v in uses for v in c.via):
            return c.id
    return None


def to_path(cg: CorridorGraph, vnodes: list[str]) -> Path:
    net, cargo = cg.network, cg.network.cargo[cg.cargo]
    nodes = [n for n in vnodes if not n.startswith(EDGE_PREFIX)]
    arcs = [n[len(EDGE_PREFIX):] for n in vnodes if n.startswith(EDGE_PREFIX)]
    edges = [a.rstrip(">") for a in arcs]
    legs: list[Leg] = []
    for i, e in enumerate(edges):
        legs.append(cg.legs[e])
        if i + 1 < len(edges):
            legs.append(cg.legs[nodes[i + 1]])
    cost = sum(generalized(leg, net, cargo) for leg in legs)
    uses = frozenset(nodes) | frozenset(edges)
    return Path(nodes[0], nodes[-1], cg.cargo, tuple(nodes), tuple(edges), tuple(arcs),
                tuple(legs),
                corridor_of(uses, list(net.corridors.values())), cost)


def _check_od(cg: CorridorGraph, origin: str, destination: str) -> None:
    for role, n in (("origin", origin), ("destination", destination)):
        if n not in cg.network.nodes:
            raise fail(f"unknown {role} {n!r}", where=f"--{role[:4] if role == 'origin' else 'to'}",
                       fix="use a node id; `titr show` lists them")


def k_shortest(cg: CorridorGraph, origin: str, destination: str, k: int = 10) -> list[Path]:
    """Up to k simple paths, cheapest first (Yen's algorithm via networkx)."""
    _check_od(cg, origin, destination)
    try:
        gen = nx.shortest_simple_paths(cg.graph, origin, destination, weight="weight")
        return [to_path(cg, p) for p in islice(gen, k)]
    except nx.NetworkXNoPath:
        return []


def _through(cg: CorridorGraph, origin: str, destination: str, via: str) -> list[str] | None:
    """The cheapest origin → via → destination walk; None if none or if it repeats a node."""
    targets = [n for n in cg.graph if n == via or (n.startswith(EDGE_PREFIX)
                                                   and cg.edge_of(n) == via)]
    best: tuple[float, list[str]] | None = None
    for t in targets:
        try:
            c1, p1 = nx.single_source_dijkstra(cg.graph, origin, t, weight="weight")
            c2, p2 = nx.single_source_dijkstra(cg.graph, t, destination, weight="weight")
        except nx.NetworkXNoPath:
            continue
        walk = p1 + p2[1:]
        if len(set(walk)) == len(walk) and (best is None or c1 + c2 < best[0]):
            best = (c1 + c2, walk)
    return best[1] if best else None


def best_by_corridor(cg: CorridorGraph, origin: str, destination: str,
                     k: int = 12) -> dict[str, Path]:
    """The cheapest path of each corridor that can serve this origin–destination pair."""
    _check_od(cg, origin, destination)
    found: dict[str, Path] = {}
    for p in k_shortest(cg, origin, destination, k):
        if p.corridor and p.corridor not in found:
            found[p.corridor] = p
    for c in cg.network.corridors.values():
        if c.id in found:
            continue
        # the cheapest path through the corridor's first via id, if it names this corridor
        walk = _through(cg, origin, destination, c.via[0]) if c.via else None
        if walk is not None:
            p = to_path(cg, walk)
            if p.corridor == c.id:
                found[c.id] = p
    return dict(sorted(found.items(), key=lambda kv: kv[1].cost))


def candidate_paths(cg: CorridorGraph, origin: str, destination: str, k: int = 8) -> list[Path]:
    """k-shortest paths plus each corridor's best, without duplicates, cheapest first."""
    seen: dict[tuple[str, ...], Path] = {}
    for p in [*k_shortest(cg, origin, destination, k),
              *best_by_corridor(cg, origin, destination, k).values()]:
        seen.setdefault(p.key, p)
    return sorted(seen.values(), key=lambda p: p.cost)
