"""Fast candidate paths: the cheapest path through each node and each link or sea service.

Two Dijkstra runs per origin–destination pair (from the origin, and to the destination on the
reversed graph, with scipy's compiled csgraph) give the cheapest walk through every vertex v
as origin→v plus v→destination. Walks through a sea service, a port or a border crossing are
exactly the alternatives a planner compares (one port or another, ferry or feeder, one border or
Altynkol, Black Sea or Türkiye); walks that repeat a node are dropped. This replaces Yen's
k-shortest paths where many pairs and years are routed.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from titr.routing.graph import EDGE_PREFIX, CorridorGraph
from titr.routing.paths import Path, to_path


class ViaSearch:
    """Cheapest walks through every vertex of one year's graph for one cargo class."""

    def __init__(self, cg: CorridorGraph):
        self.cg = cg
        self.names = list(cg.vertices)
        self.index = {n: i for i, n in enumerate(self.names)}
        rows, cols, weights = [], [], []
        for u, v, w in cg.arcs:
            rows.append(self.index[u])
            cols.append(self.index[v])
            # csgraph treats an explicit 0 as "no edge": keep zero-cost steps as tiny costs
            weights.append(max(float(w), 1e-9))
        n = len(self.names)
        # decision points: real nodes, sea services, links that name a corridor, and links
        # with a parallel twin (a road beside a railway); any other link lies on the walks
        # through its end nodes
        pairs: dict[frozenset[str], int] = {}
        for v, (a, b) in cg.ends.items():
            if not v.endswith(">"):
                pairs[frozenset((a, b))] = pairs.get(frozenset((a, b)), 0) + 1
        named = {v for c in cg.network.corridors.values() for v in c.via}
        named |= set(cg.network.services)
        self.vias = np.array([i for i, name in enumerate(self.names)
                              if not name.startswith(EDGE_PREFIX)
                              or name.rstrip(">")[len(EDGE_PREFIX):] in named
                              or pairs.get(frozenset(cg.ends[name]), 0) > 1], dtype=int)
        # corridor vias: each corridor needs a walk through them even when the cheapest walk
        # through one doubles back (a dear sea leg reached by rail and left by sea)
        self.corridor_vias = [i for i, name in enumerate(self.names)
                              if name in named or (name.rstrip(">")[len(EDGE_PREFIX):] in named
                              and name.startswith(EDGE_PREFIX))]
        self.matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n))
        self.reverse = self.matrix.T.tocsr()
        # Dijkstra trees and walks, per origin (forward) and per destination (reverse):
        # pairs that share an end share them
        self._trees: dict[tuple[int, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._walks: dict[tuple[int, bool, int], list[int] | None] = {}

    def _tree(self, root: int, forward: bool) -> tuple[np.ndarray, np.ndarray]:
        key = (root, forward)
        if key not in self._trees:
            self._trees[key] = dijkstra(self.matrix if forward else self.reverse, indices=root,
                                        return_predecessors=True)
        return self._trees[key]

    def _cached_walk(self, root: int, v: int, forward: bool) -> list[int] | None:
        key = (root, forward, v)
        if key not in self._walks:
            self._walks[key] = self._walk(self._tree(root, forward)[1], root, v, forward)
        return self._walks[key]

    def _walk(self, pred: np.ndarray, start: int, end: int, forward: bool) -> list[int] | None:
        seq = [end]
        while seq[-1] != start:
            p = int(pred[seq[-1]])
            if p < 0:
                return None
            seq.append(p)
        return seq[::-1] if forward else seq

    def walks(self, origin: str, destination: str) -> list[list[str]]:
        """Distinct simple walks (vertex names), each the cheapest through some vertex,
        cheapest first."""
        if origin not in self.index or destination not in self.index:
            return []
        o, d = self.index[origin], self.index[destination]
        through_arr = self._tree(o, True)[0] + self._tree(d, False)[0]
        order = self.vias[np.argsort(through_arr[self.vias], kind="stable")]
        through = through_arr.tolist()
        seen: dict[tuple[int, ...], float] = {}
        covered: set[int] = set()
        for v in order.tolist():
            cost = through[v]
            if v in covered or cost == float("inf"):
                continue  # already on a walk that is a cheapest walk through it
            head = self._cached_walk(o, v, forward=True)
            tail = self._cached_walk(d, v, forward=False)
            if head is None or tail is None:
                continue
            walk = tuple(head + tail[1:])
            eps = 1e-9 * max(1.0, cost)
            covered.update(u for u in walk if abs(through[u] - cost) <= eps)
            if walk not in seen and len(set(walk)) == len(walk):
                seen[walk] = cost
        on_walks = {u for walk in seen for u in walk}
        for v in self.corridor_vias:
            if v not in on_walks and through[v] != float("inf"):
                found = self._simple_through(o, d, v)
                if found is not None and found[0] not in seen:
                    seen[found[0]] = found[1]
                    on_walks.update(found[0])
        ordered = sorted(seen, key=seen.__getitem__)
        return [[self.names[i] for i in walk] for walk in ordered]

    def _simple_through(self, o: int, d: int, v: int) -> tuple[tuple[int, ...], float] | None:
        """The cheapest walk through v from o that avoids the vertices of v's cheapest way to
        d (so it does not double back), and its cost; None if there is none."""
        tail = self._cached_walk(d, v, forward=False)
        if tail is None:
            return None
        keep = np.ones(len(self.names))
        keep[tail[1:]] = 0.0
        cut = sparse.diags(keep) @ self.matrix @ sparse.diags(keep)
        dist, pred = dijkstra(cut.tocsr(), indices=o, return_predecessors=True)
        head = self._walk(pred, o, v, forward=True)
        if head is None:
            return None
        walk = tuple(head + tail[1:])
        if len(set(walk)) != len(walk):
            return None
        return walk, float(dist[v]) + float(self._tree(d, False)[0][v])

    def paths(self, origin: str, destination: str) -> list[Path]:
        return [to_path(self.cg, w) for w in self.walks(origin, destination)]
