"""Paths through the corridor graph: k-shortest by generalized cost, and the best path of each
named corridor of the scenario (its [[corridors]])."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

import networkx as nx

from titr.model.errors import fail
from titr.model.schema import Corridor
from titr.model.units import HOURS_PER_DAY
from titr.routing.costs import Leg
from titr.routing.graph import Arc, CorridorGraph, Vertex, routing_cache
from titr.routing.search import ViaSearch


@dataclass(frozen=True)
class Path:
    """A path for one cargo class; its sums over legs (hours, usd, co2, km, wait_hours) are
    computed once."""

    origin: str
    destination: str
    cargo: str
    nodes: tuple[str, ...]  # real nodes, origin first
    edges: tuple[str, ...]  # link and sea service ids, in order
    arcs: tuple[Arc, ...]  # the same, each run one way
    legs: tuple[Leg, ...]  # edges and intermediate node passages, in order
    corridor: str | None
    cost: float  # generalized, USD/t

    @cached_property
    def hours(self) -> float:
        return sum(leg.hours for leg in self.legs)

    @property
    def days(self) -> float:
        return self.hours / HOURS_PER_DAY

    @cached_property
    def usd(self) -> float:
        return sum(leg.usd for leg in self.legs)

    @cached_property
    def co2(self) -> float:
        return sum(leg.co2 for leg in self.legs)

    @cached_property
    def km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @cached_property
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


def to_path(cg: CorridorGraph, vertices: list[Vertex]) -> Path:
    """The path along these vertices, in the first corridor whose vias it uses."""
    elements = frozenset(cg.element(v) for v in vertices)
    return _path(cg, vertices, corridor_of(elements, list(cg.network.corridors.values())))


def _path(cg: CorridorGraph, vertices: list[Vertex], corridor: str | None) -> Path:
    # a walk alternates node, arc, node …, arc, node: its legs are the arcs and the nodes
    # between them, in order
    return _walk_path(cg, vertices[::2], vertices[1::2],  # type: ignore[arg-type]
                      [cg.element(v) for v in vertices[1:-1]], corridor)


def _walk_path(cg: CorridorGraph, nodes: list[str], arcs: list[Arc], steps: list[str],
               corridor: str | None) -> Path:
    """The path of a walk: its nodes, its arcs and the ids of its legs (arcs and the nodes
    between them, in order)."""
    legs, costs = cg.legs, cg.costs
    cost = 0.0
    for i in steps:
        cost += costs[i]
    return Path(nodes[0], nodes[-1], cg.cargo, tuple(nodes), tuple(a.edge for a in arcs),
                tuple(arcs), tuple(legs[i] for i in steps), corridor, cost)


def _check_od(cg: CorridorGraph, origin: str, destination: str) -> None:
    for role, n in (("origin", origin), ("destination", destination)):
        if n not in cg.network.nodes:
            raise fail(f"unknown {role} {n!r}", where="--from" if role == "origin" else "--to",
                       fix="use a node id; `titr show --list nodes` lists them")


def k_shortest(cg: CorridorGraph, origin: str, destination: str, k: int = 10) -> list[Path]:
    """Up to k simple paths, cheapest first (Yen's algorithm via networkx)."""
    _check_od(cg, origin, destination)
    try:
        gen = nx.shortest_simple_paths(cg.graph, origin, destination, weight="weight")
        return [to_path(cg, p) for p in islice(gen, k)]
    except nx.NetworkXNoPath:
        return []


def best_by_corridor(cg: CorridorGraph, origin: str, destination: str) -> dict[str, Path]:
    """The cheapest path of each corridor that can serve this origin–destination pair."""
    found: dict[str, Path] = {}
    for p in candidate_paths(cg, origin, destination, per_corridor=1):
        if p.corridor and p.corridor not in found:
            found[p.corridor] = p
    return found


def _search(cg: CorridorGraph) -> ViaSearch:
    """The graph's search: shared by the graphs of the scenario with the same arcs, costs and
    corridors (see routing.graph.RoutingCache), its own otherwise."""
    if cg.search is None:
        if cg.shape is None:
            cg.search = ViaSearch(cg)
        else:
            cache = routing_cache(cg.network)
            if cg.shape not in cache.searches:
                store = cache.walks.setdefault(cg.shape[:2], {})  # cargo class, vertices
                layout = cache.layouts.setdefault((*cg.shape[:2], cg.shape[3]), {})
                made = cache.searches[cg.shape] = ViaSearch(cg, store, layout)
                # a walk's corridor depends on its vertices and the corridors only: kept for
                # the searches of every graph with the same (years whose costs differ)
                made.corridor_of_walk = cache.corridors.setdefault(
                    (*cg.shape[:2], cg.shape[3]), {})
                # and so is the path of a walk, as long as its legs are the same
                made.path_of_walk = cache.walk_paths.setdefault((*cg.shape[:2], cg.shape[3]), {})
            cg.search = cache.searches[cg.shape]
    search: ViaSearch = cg.search
    return search


def prepare_paths(cg: CorridorGraph, pairs: list[tuple[str, str]]) -> None:
    """Ready the search for these origin–destination pairs at once (see
    :meth:`ViaSearch.prepare`); :func:`candidate_paths` then asks for each."""
    _search(cg).prepare([o for o, _ in pairs], [d for _, d in pairs])


def candidate_paths(cg: CorridorGraph, origin: str, destination: str,
                    per_corridor: int = 6) -> list[Path]:
    """Up to ``per_corridor`` distinct paths of each corridor (the cheapest through each
    node, link and sea service), cheapest first (kept on the graph: ask again for free)."""
    _check_od(cg, origin, destination)
    key = (origin, destination, per_corridor)
    if key in cg.paths:
        return list(cg.paths[key])
    search = _search(cg)
    names, element = search.names, search.elements
    corridors = list(cg.network.corridors.values())
    known, made = search.corridor_of_walk, search.path_of_walk
    legs = cg.legs
    kept: list[Path] = []
    count: dict[str | None, int] = {}
    for walk in search.index_walks(origin, destination):
        if walk in known:
            corridor = known[walk]
        else:
            corridor = known[walk] = corridor_of(frozenset(element[i] for i in walk), corridors)
        if count.get(corridor, 0) < per_corridor:
            steps = [element[i] for i in walk[1:-1]]
            p = made.get(walk)
            # the path an earlier graph made of this walk, if its legs are the very same (a
            # leg's generalized cost comes with it: the same cost)
            if p is None or p.corridor != corridor or not all(
                    map(operator.is_, p.legs, map(legs.__getitem__, steps))):
                p = made[walk] = _walk_path(
                    cg, [names[i] for i in walk[::2]],  # type: ignore[misc]
                    [names[i] for i in walk[1::2]], steps, corridor)  # type: ignore[misc]
            kept.append(p)
            count[corridor] = count.get(corridor, 0) + 1
    cg.paths[key] = tuple(kept)
    return kept
