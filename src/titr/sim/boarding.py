"""How the pieces of the routes boarding one line in one direction split over its sailings.

The port queue holds units in order of arrival. Units of one piece (see
:mod:`titr.sim.flows`) arrive together, so the queue is the pieces sorted by arrival time
(stably: ties in route and unit order), each repeated unit by unit. A vessel takes units from
the head of the queue, so a piece may be split between consecutive sailings: after the crossing
each part that took one sailing (or was never taken) is a piece of its own, its units still
consecutive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    """The new pieces, ordered by their source piece (an index into the members' boarding
    pieces, concatenated) and then by unit: ``offset`` of their first unit in the source
    piece, unit ``count``, ``sailing`` (-1: never taken). ``source=None``: the pieces are
    single units that boarded in order, so nothing moved or split (only ``sailing`` is
    given)."""

    source: np.ndarray | None
    offset: np.ndarray | None
    count: np.ndarray | None
    sailing: np.ndarray

    def of_member(self, lo: int, hi: int, ids: np.ndarray, counts: np.ndarray
                  ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray]:
        """One route's new pieces, in unit order: (its piece index, offset, count, sailing).
        The route boarded its pieces ``ids`` (sources ``lo`` to ``hi``); its other pieces
        (``counts`` gives every piece's units) never reached the port and stay whole. The
        piece index is None when the pieces are the route's own, unchanged."""
        if self.source is None:
            if ids.size == counts.size:
                return None, np.zeros(0, np.int64), counts, self.sailing[lo:hi]
            src, offset = ids, np.zeros(ids.size, np.int64)
            count, sailing = np.ones(ids.size, np.int64), self.sailing[lo:hi]
        else:
            assert self.offset is not None and self.count is not None
            a, b = np.searchsorted(self.source, [lo, hi])
            src = ids[self.source[a:b] - lo]
            offset, count, sailing = self.offset[a:b], self.count[a:b], self.sailing[a:b]
        if ids.size == counts.size:
            return src, offset, count, sailing
        stay = np.ones(counts.size, bool)
        stay[ids] = False
        rest = np.flatnonzero(stay)
        src = np.concatenate([src, rest])
        order = np.argsort(src, kind="stable")
        return (src[order], np.concatenate([offset, np.zeros(rest.size, np.int64)])[order],
                np.concatenate([count, counts[rest]])[order],
                np.concatenate([sailing, np.full(rest.size, -1, np.int64)])[order])


@dataclass(frozen=True)
class Boarding:
    """The pieces in queue order: ``order[k]`` is the source of the k-th piece in the queue,
    ``count[k]`` its units."""

    order: np.ndarray
    count: np.ndarray
    in_order: bool = False  # order is 0, 1, 2 …

    def split(self, sailing_of_unit: np.ndarray) -> Split:
        """Split the pieces where the sailing changes (``sailing_of_unit`` in queue order)."""
        n = sailing_of_unit.size
        pieces = self.count.size
        if n == pieces and self.in_order:  # single units, boarded in order
            return Split(None, None, None, sailing_of_unit)
        if n == pieces:  # every piece a single unit: nothing to split
            inverse = np.empty(pieces, np.int64)
            inverse[self.order] = np.arange(pieces)
            return Split(np.arange(pieces), np.zeros(pieces, np.int64),
                         np.ones(pieces, np.int64), sailing_of_unit[inverse])
        first = np.cumsum(self.count) - self.count  # each piece's first unit in the queue
        cut = np.zeros(n, bool)
        cut[first[first < n]] = True
        cut[1:] |= sailing_of_unit[1:] != sailing_of_unit[:-1]
        starts = np.flatnonzero(cut)
        count = np.diff(np.append(starts, n))
        piece = np.searchsorted(first, starts, side="right") - 1
        # the new pieces of each source are consecutive: order the runs by source
        runs = np.bincount(piece, minlength=pieces)
        run_start = np.cumsum(runs) - runs
        inverse = np.empty(pieces, np.int64)
        inverse[self.order] = np.arange(pieces)
        length = runs[inverse]
        order = np.repeat(run_start[inverse] - (np.cumsum(length) - length), length) \
            + np.arange(starts.size)
        return Split(self.order[piece][order], (starts - first[piece])[order], count[order],
                     sailing_of_unit[starts][order])
