"""Fast candidate paths: the cheapest path through each node and each link or sea service.

Two Dijkstra runs per origin–destination pair (from the origin, and to the destination on the
reversed graph, with scipy's compiled csgraph) give the cheapest walk through every vertex v
as origin→v plus v→destination. Walks through a sea service, a port or a border crossing are
exactly the alternatives a planner compares (one port or another, ferry or feeder, one border or
Altynkol, Black Sea or Türkiye); walks that repeat a node are dropped. This replaces Yen's
k-shortest paths where many pairs and years are routed.

A search belongs to one graph (its arcs and weights); Dijkstra trees, walks and the walks of
each pair are kept on it, so pairs sharing an end, and years whose graph is the same, share
them.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from titr.routing.graph import Arc, CorridorGraph, Vertex

Walk = tuple[int, ...]  # vertex indices, origin first


def _layout(cg: CorridorGraph) -> tuple[list[Vertex], dict[Vertex, int], np.ndarray, np.ndarray,
                                         list[str], np.ndarray, list[int]]:
    """What a search needs of a graph besides its costs: vertices, their indices, the arcs'
    ends as indices, each vertex's node or edge, the vias and the corridor vias."""
    names = list(cg.vertices)
    index = {v: i for i, v in enumerate(names)}
    rows = np.array([index[u] for u, _, _ in cg.arcs], dtype=np.int32)
    cols = np.array([index[v] for _, v, _ in cg.arcs], dtype=np.int32)
    # decision points: real nodes, sea services, links that name a corridor, and links
    # with a parallel twin (a road beside a railway); any other link lies on the walks
    # through its end nodes
    pairs: dict[frozenset[str], int] = {}
    for arc, (a, b) in cg.ends.items():
        if not arc.reverse:
            pairs[frozenset((a, b))] = pairs.get(frozenset((a, b)), 0) + 1
    named = {v for c in cg.network.corridors.values() for v in c.via}
    named |= set(cg.network.services)
    elements = [cg.element(v) for v in names]  # the node or edge of each vertex
    vias = np.array([i for i, v in enumerate(names)
                     if not isinstance(v, Arc) or v.edge in named
                     or pairs.get(frozenset(cg.ends[v]), 0) > 1], dtype=int)
    # corridor vias: each corridor needs a walk through them even when the cheapest walk
    # through one doubles back (a dear sea leg reached by rail and left by sea)
    corridor_vias = [i for i, e in enumerate(elements) if e in named]
    return names, index, rows, cols, elements, vias, corridor_vias


class ViaSearch:
    """Cheapest walks through every vertex of one year's graph for one cargo class."""

    def __init__(self, cg: CorridorGraph,
                 walk_store: dict[tuple[int, bool, bytes], dict[int, Walk | None]] | None = None,
                 layout: dict[str, Any] | None = None):
        """``walk_store`` keeps the walks of every tree by its root and predecessors, for the
        searches of graphs with the same vertices (years whose costs differ, not their
        shortest-path trees); ``layout`` keeps what does not depend on the costs (vertices'
        indices, the arcs' ends as indices, the vias), for the searches of graphs with the
        same vertices and corridors, used while the arcs' ends are the same."""
        found = layout.get("layout") if layout is not None else None
        if found is None or found[0] != cg.ends:
            found = (dict(cg.ends), *_layout(cg))
            if layout is not None:
                layout["layout"] = found
        self.names: list[Vertex] = found[1]
        self.index: dict[Vertex, int] = found[2]
        rows, cols = found[3], found[4]
        self.elements: list[str] = found[5]  # the node or edge of each vertex
        self.vias: np.ndarray = found[6]
        self.corridor_vias: list[int] = found[7]
        # csgraph treats an explicit 0 as "no edge": keep zero-cost steps as tiny costs
        weights = np.maximum(np.array([float(w) for _, _, w in cg.arcs]), 1e-9)
        n = len(self.names)
        self.matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n))
        self.reverse = self.matrix.T.tocsr()
        self._row_of = np.repeat(np.arange(n), np.diff(self.matrix.indptr))
        # Dijkstra trees, per origin (forward) and per destination (reverse): pairs that share
        # an end share them; trees that are the same (same predecessors) share their walks
        self._trees: dict[tuple[int, bool], _Tree] = {}
        self._walk_store = walk_store if walk_store is not None else {}
        self._pairs: dict[tuple[int, int], list[Walk]] = {}
        self.corridor_of_walk: dict[Walk, str | None] = {}  # filled by routing.corridor_paths
        self.path_of_walk: dict[Walk, Any] = {}  # the same

    def prepare(self, origins: list[str], destinations: list[str]) -> None:
        """Grow the trees of these origins and destinations at once (one compiled call each
        way, not one per end)."""
        for names, forward in ((origins, True), (destinations, False)):
            roots = sorted({self.index[n] for n in names if n in self.index} -
                           {r for r, f in self._trees if f == forward})
            if not roots:
                continue
            dist, pred = dijkstra(self.matrix if forward else self.reverse, indices=roots,
                                  return_predecessors=True)
            for i, root in enumerate(roots):
                self._add_tree(root, forward, dist[i], pred[i])

    def _add_tree(self, root: int, forward: bool, dist: np.ndarray, pred: np.ndarray) -> None:
        walks = self._walk_store.setdefault((root, forward, pred.tobytes()), {})
        self._trees[root, forward] = _Tree(root, forward, dist, pred.tolist(), walks)

    def _tree(self, root: int, forward: bool) -> _Tree:
        if (root, forward) not in self._trees:
            dist, pred = dijkstra(self.matrix if forward else self.reverse, indices=root,
                                  return_predecessors=True)
            self._add_tree(root, forward, dist, pred)
        return self._trees[root, forward]

    def walks(self, origin: str, destination: str) -> list[list[Vertex]]:
        """Distinct simple walks (vertices), each the cheapest through some vertex, cheapest
        first."""
        return [[self.names[i] for i in w] for w in self.index_walks(origin, destination)]

    def index_walks(self, origin: str, destination: str) -> list[Walk]:
        """The same walks as vertex indices (kept: pairs are asked for again)."""
        if origin not in self.index or destination not in self.index:
            return []
        o, d = self.index[origin], self.index[destination]
        if (o, d) not in self._pairs:
            self._pairs[(o, d)] = self._search(o, d)
        return self._pairs[(o, d)]

    def _search(self, o: int, d: int) -> list[Walk]:
        heads, tails = self._tree(o, True), self._tree(d, False)
        through_arr = heads.dist + tails.dist
        order = self.vias[np.argsort(through_arr[self.vias], kind="stable")].tolist()
        through = through_arr.tolist()
        costs = [through[v] for v in order]  # ascending
        seen: dict[Walk, float] = {}
        covered: set[int] = set()
        inf = float("inf")
        head_walk, tail_walk = heads.walk, tails.walk
        into, out_of = heads.pred, tails.pred
        last = len(costs) - 1
        for pos, v in enumerate(order):
            cost = costs[pos]
            if cost == inf:
                break  # sorted: the rest are cut off too
            if v in covered:
                continue  # already on a walk that is a cheapest walk through it
            # a via whose cheapest walk turns straight back (… a → arc → v → arc → a …) is on
            # no simple walk; if no via to come costs about as much, it covers none either
            before = into[v]
            if before >= 0 and (pos == last or costs[pos + 1] > cost + 2e-9 * max(1.0, cost)):
                after = out_of[v]
                if after >= 0 and into[before] >= 0 and into[before] == out_of[after]:
                    continue
            head, tail = head_walk(v), tail_walk(v)
            if head is None or tail is None:
                continue
            walk = head + tail[1:]
            members = set(walk)
            # the vias still to come that this walk is a cheapest walk through: on it, at its
            # cost (only vias costing about as much can be, found by bisection)
            eps = 1e-9 * max(1.0, cost)
            end = bisect.bisect_right(costs, cost + 2 * eps, pos + 1)
            covered.update([u for u in order[pos + 1:end]
                            if u in members and -eps <= through[u] - cost <= eps])
            if len(members) == len(walk) and walk not in seen:
                seen[walk] = cost
        on_walks = {u for walk in seen for u in walk}
        todo = [v for v in self.corridor_vias if v not in on_walks and through[v] != inf]
        # all at once (one compiled call); a via an earlier one's walk passes is skipped as before
        simple = self._simple_through(o, d, todo)
        for v in todo:
            if v not in on_walks:
                found = simple[v]
                if found is not None and found[0] not in seen:
                    seen[found[0]] = found[1]
                    on_walks.update(found[0])
        return sorted(seen, key=seen.__getitem__)

    def _without(self, dropped: list[list[int]]) -> sparse.csr_matrix:
        """Copies of the graph side by side (block ``k``: vertices ``k·n … k·n + n − 1``), the
        ``k``-th without the arcs into or out of the vertices ``dropped[k]``. Each block keeps
        the arcs in their order, so Dijkstra in a block runs as on that graph alone."""
        n, m = len(self.names), self.matrix
        keep = np.ones((len(dropped), n), dtype=bool)
        for k, drop in enumerate(dropped):
            keep[k, drop] = False
        block, arc = np.nonzero(keep[:, self._row_of] & keep[:, m.indices])  # in CSR order
        shift = (n * block).astype(np.int32)
        indptr = np.zeros(len(dropped) * n + 1, dtype=np.int32)
        np.cumsum(np.bincount(self._row_of[arc] + shift, minlength=len(dropped) * n),
                  out=indptr[1:])
        return sparse.csr_matrix((m.data[arc], m.indices[arc] + shift, indptr),
                                 shape=(len(indptr) - 1,) * 2)

    def _simple_through(self, o: int, d: int,
                        vias: list[int]) -> dict[int, tuple[Walk, float] | None]:
        """For each via v: the cheapest walk through v from o that avoids the vertices of v's
        cheapest way to d (so it does not double back), and its cost; None if there is none.
        One Dijkstra run per via, on its own copy of the graph, all in one compiled call."""
        tails = self._tree(d, False)
        out: dict[int, tuple[Walk, float] | None] = {}
        reach = [(v, tail) for v in vias if (tail := tails.walk(v)) is not None]
        out.update((v, None) for v in vias)
        n = len(self.names)
        for start in range(0, len(reach), SIMPLE_BATCH):
            batch = reach[start:start + SIMPLE_BATCH]
            dist, pred = dijkstra(self._without([list(t[1:]) for _, t in batch]),
                                  indices=[o + k * n for k in range(len(batch))],
                                  return_predecessors=True)
            for k, (v, tail) in enumerate(batch):
                head = _walk_to(pred[k, k * n:(k + 1) * n].tolist(), o, v, k * n)
                if head is None:
                    continue
                walk = head + tail[1:]
                if len(set(walk)) == len(walk):
                    out[v] = walk, float(dist[k, k * n + v]) + float(tails.dist[v])
        return out


SIMPLE_BATCH = 16  # copies of the graph per compiled call (its output is batch × batch·n)


def _walk_to(pred: list[int], root: int, v: int, shift: int) -> Walk | None:
    """root → v along a Dijkstra tree whose predecessors are shifted by ``shift``."""
    chain = [v]
    u = v
    while u != root:
        u = pred[u] - shift
        if u < 0:
            return None
        chain.append(u)
    return tuple(reversed(chain))


class _Tree:
    """One Dijkstra tree: distances from its root (forward) or to it (reverse), and the walk
    to or from each vertex along the tree, built from the parent's walk and kept."""

    __slots__ = ("dist", "forward", "pred", "root", "walks")

    def __init__(self, root: int, forward: bool, dist: np.ndarray, pred: list[int],
                 walks: dict[int, Walk | None]):
        self.root, self.forward, self.dist, self.pred, self.walks = root, forward, dist, pred, \
            walks

    def walk(self, v: int) -> Walk | None:
        """Root → v (forward) or v → root (reverse) along the tree; None if v is cut off."""
        walks = self.walks
        if v in walks:
            return walks[v]
        chain = []
        u = v
        while u not in walks:
            if u == self.root:
                walks[u] = (u,)
                break
            chain.append(u)
            u = self.pred[u]
            if u < 0:
                for x in chain:
                    walks[x] = None
                return None
        w = walks[u]
        for x in reversed(chain):
            w = None if w is None else ((*w, x) if self.forward else (x, *w))
            walks[x] = w
        return walks[v]
