"""The units of one route during a replication, kept as trains as long as they move together.

A route starts in *train mode*: its units exist only as groups (a block train of ``batch``
units, or single units) with one time and one set of part durations per group, so a route of
two million TEU in trains of 100 costs twenty thousand array entries. The first stage that
treats units one by one (a sea crossing, or a ``per="unit"`` station) switches it to *piece
mode*: a piece is a run of consecutive units of one train that have travelled together so far
(a whole train, or the part of it one sailing took). Each piece has its entry time, its unit
count, the index of its first unit, its group (after a sea crossing: its sailing) and the part
durations it carried into that group; the group then adds what its members share. Pieces are
kept in the order of their units, so unit ``k`` of the route is the same unit whatever the
pieces; a ``per="unit"`` station splits them into single units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from titr.sim.stages import PARTS, Route

Rows = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]


@dataclass
class RouteRun:
    route: Route
    gt: np.ndarray  # per group: the time it reaches its next stage (inf: never)
    gparts: dict[str, np.ndarray]  # per group: part durations since the group formed
    genter: np.ndarray  # train mode: per group, its entry time
    p_enter: np.ndarray | None = None  # piece mode: per piece
    p_group: np.ndarray | None = None
    p_base: dict[str, np.ndarray] | None = None
    p_count: np.ndarray | None = None
    p_first: np.ndarray | None = None
    pos: int = 0
    in_queue: int = 0
    in_transit: int = 0
    _identity: bool = False  # piece mode with one piece per group: no gathers needed
    _fresh: bool = True  # gparts are all zero (nothing added since the groups formed)
    _sizes: np.ndarray | None = field(default=None, repr=False)
    _pieces: Rows | None = field(default=None, repr=False)

    @classmethod
    def start(cls, route: Route, train_times: np.ndarray) -> RouteRun:
        m = train_times.size
        return cls(route, train_times.copy(), {p: np.zeros(m) for p in PARTS},
                   train_times.copy())

    @property
    def unit_mode(self) -> bool:
        """Whether the route's units have left their trains (piece mode)."""
        return self.p_group is not None

    @property
    def units(self) -> int:
        if self.p_count is not None:
            return int(self.p_count.sum())
        return self.gt.size * self.route.batch

    def sizes(self) -> np.ndarray:
        """Units in each group."""
        if self._sizes is None:
            if self.p_group is None:
                self._sizes = np.full(self.gt.size, self.route.batch, np.int64)
            else:
                self._sizes = np.bincount(self.p_group, self.p_count,
                                          self.gt.size).astype(np.int64)
        return self._sizes

    def add_part(self, part: str, hours: np.ndarray) -> None:
        """Add time spent in ``part`` to every group."""
        self.gparts[part] += hours
        self._fresh = False

    def expand(self) -> None:
        """Switch to piece mode: each train one piece (its units are consecutive)."""
        if self.p_group is not None:
            return
        b = self.route.batch
        m = self.gt.size
        self.p_enter = self.genter
        self.p_group = np.arange(m, dtype=np.int64)
        self.p_count = np.full(m, b, np.int64)
        self.p_first = np.arange(m, dtype=np.int64) * b
        self.p_base = {p: np.zeros(m) for p in PARTS}

    def split_units(self) -> None:
        """Make every piece a single unit (for a stage that serves units one by one)."""
        self.expand()
        assert self.p_count is not None and self.p_first is not None
        assert self.p_enter is not None and self.p_group is not None and self.p_base is not None
        if self.p_count.size and self.p_count.max() == 1:
            return
        rep = self.p_count
        n = int(rep.sum())
        starts = np.cumsum(rep) - rep
        self.p_first = np.repeat(self.p_first - starts, rep) + np.arange(n, dtype=np.int64)
        self.p_enter = np.repeat(self.p_enter, rep)
        self.p_group = np.repeat(self.p_group, rep)
        self.p_base = {p: np.repeat(v, rep) for p, v in self.p_base.items()}
        self.p_count = np.ones(n, np.int64)
        self._identity = False

    def piece_counts(self) -> np.ndarray:
        self.expand()
        assert self.p_count is not None
        return self.p_count

    def piece_times(self) -> np.ndarray:
        self.expand()
        assert self.p_group is not None
        return self.gt if self._identity else self.gt[self.p_group]

    def piece_parts(self) -> dict[str, np.ndarray]:
        self.expand()
        assert self.p_group is not None and self.p_base is not None
        if self._fresh:  # nothing to add: hand out the pieces' own arrays
            return self.p_base
        if self._identity:
            return {p: self.p_base[p] + self.gparts[p] for p in PARTS}
        return {p: self.p_base[p] + self.gparts[p][self.p_group] for p in PARTS}

    def regroup(self, group: np.ndarray | None, gt: np.ndarray, parts: dict[str, np.ndarray],
                pieces: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
        """New groups (e.g. sailings): ``gt`` per group, ``parts`` per piece so far (taken
        over, not copied). ``group=None``: every piece is its own group. ``pieces`` (entry,
        count, first unit) replaces the pieces when they were split."""
        if pieces is not None:
            self.p_enter, self.p_count, self.p_first = pieces
        self._identity = group is None
        self.p_group = np.arange(gt.size, dtype=np.int64) if group is None else group
        self.p_base = parts
        self.gt = gt
        self.gparts = {p: np.zeros(gt.size) for p in PARTS}
        self._fresh = True
        self._sizes = None

    def finish(self) -> None:
        """The route has run its last stage: fix its rows (see :meth:`pieces`)."""
        self._pieces = None
        self._pieces = self.pieces()

    def pieces(self) -> Rows:
        """(entry, exit, parts, units) per row: per train in train mode, else per piece."""
        if self._pieces is not None:
            return self._pieces
        if self.p_group is None:
            return (self.genter, self.gt, self.gparts,
                    np.full(self.gt.size, self.route.batch, np.int64))
        assert self.p_enter is not None and self.p_count is not None
        return (self.p_enter, self.piece_times(), self.piece_parts(), self.p_count)

    def first_units(self) -> np.ndarray:
        """Per row of :meth:`pieces`: the index of its first unit (train mode: of the train)."""
        return np.arange(self.gt.size, dtype=np.int64) if self.p_first is None else self.p_first

    def rows(self) -> Rows:
        """(entry, exit, parts, units) per row: per train in train mode, else per unit."""
        enter, exit_, parts, count = self.pieces()
        if self.p_group is None or not count.size or count.max() == 1:
            return enter, exit_, parts, count
        return (np.repeat(enter, count), np.repeat(exit_, count),
                {p: np.repeat(v, count) for p, v in parts.items()},
                np.ones(int(count.sum()), np.int64))
