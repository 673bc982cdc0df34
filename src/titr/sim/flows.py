"""The units of one route during a replication, kept as trains as long as they move together.

A route starts in *train mode*: its units exist only as groups (a block train of ``batch``
units, or single units) with one time and one set of part durations per group, so a route of
two million TEU in trains of 100 costs twenty thousand array entries. The first stage that
treats units one by one (a sea crossing, or a ``per="unit"`` station) switches it to *unit
mode*: each unit has its entry time, its group (after a sea crossing: its sailing) and the part
durations it carried into that group; the group then adds what its members share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from titr.sim.stages import PARTS, Route


@dataclass
class RouteRun:
    route: Route
    gt: np.ndarray  # per group: the time it reaches its next stage (inf: never)
    gparts: dict[str, np.ndarray]  # per group: part durations since the group formed
    genter: np.ndarray  # train mode: per group, its entry time
    u_enter: np.ndarray | None = None  # unit mode: per unit
    u_group: np.ndarray | None = None
    u_base: dict[str, np.ndarray] | None = None
    pos: int = 0
    in_queue: int = 0
    in_transit: int = 0
    _identity: bool = False  # unit mode with one unit per group: no gathers needed
    _fresh: bool = True  # gparts are all zero (nothing added since the groups formed)
    _sizes: np.ndarray | None = field(default=None, repr=False)
    _rows: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray] | None = field(
        default=None, repr=False)

    @classmethod
    def start(cls, route: Route, train_times: np.ndarray) -> RouteRun:
        m = train_times.size
        return cls(route, train_times.copy(), {p: np.zeros(m) for p in PARTS},
                   train_times.copy())

    @property
    def unit_mode(self) -> bool:
        return self.u_group is not None

    @property
    def units(self) -> int:
        return self.u_group.size if self.u_group is not None else self.gt.size * self.route.batch

    def sizes(self) -> np.ndarray:
        """Units in each group."""
        if self._sizes is None:
            if self.u_group is None:
                self._sizes = np.full(self.gt.size, self.route.batch, np.int64)
            else:
                self._sizes = np.bincount(self.u_group, minlength=self.gt.size)
        return self._sizes

    def add_part(self, part: str, hours: np.ndarray) -> None:
        """Add time spent in ``part`` to every group."""
        self.gparts[part] += hours
        self._fresh = False

    def expand(self) -> None:
        """Switch to unit mode (units of a train are consecutive, in arrival order)."""
        if self.u_group is not None:
            return
        b = self.route.batch
        self.u_enter = np.repeat(self.genter, b)
        self.u_group = np.repeat(np.arange(self.gt.size, dtype=np.int64), b)
        self.u_base = {p: np.zeros(self.u_enter.size) for p in PARTS}

    def unit_times(self) -> np.ndarray:
        self.expand()
        assert self.u_group is not None
        return self.gt if self._identity else self.gt[self.u_group]

    def unit_parts(self) -> dict[str, np.ndarray]:
        self.expand()
        assert self.u_group is not None and self.u_base is not None
        if self._fresh:  # nothing to add: hand out the units' own arrays
            return self.u_base
        if self._identity:
            return {p: self.u_base[p] + self.gparts[p] for p in PARTS}
        return {p: self.u_base[p] + self.gparts[p][self.u_group] for p in PARTS}

    def regroup(self, group: np.ndarray | None, gt: np.ndarray, parts: dict[str, np.ndarray]
                ) -> None:
        """New groups (e.g. sailings): ``gt`` per group, ``parts`` per unit so far (taken over,
        not copied). ``group=None``: every unit is its own group."""
        self._identity = group is None
        self.u_group = np.arange(gt.size, dtype=np.int64) if group is None else group
        self.u_base = parts
        self.gt = gt
        self.gparts = {p: np.zeros(gt.size) for p in PARTS}
        self._fresh = True
        self._sizes = None

    def finish(self) -> None:
        """The route has run its last stage: fix its rows (see :meth:`rows`)."""
        self._rows = None
        self._rows = self.rows()

    def rows(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """(entry, exit, parts, units) per row: per train in train mode, else per unit."""
        if self._rows is not None:
            return self._rows
        if self.u_group is None:
            return (self.genter, self.gt, self.gparts,
                    np.full(self.gt.size, self.route.batch, np.int64))
        assert self.u_enter is not None
        return (self.u_enter, self.unit_times(), self.unit_parts(),
                np.ones(self.u_group.size, np.int64))
