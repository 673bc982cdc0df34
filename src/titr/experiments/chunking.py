"""How many replications go into one task, adapting to how long a run takes.

A task should be long enough that scheduling it costs little (:data:`TARGET_TASK_S` of runs)
and short enough that the workers finish together: never more than a share of what is left
(:data:`TAIL_SHARE` tasks per worker), never more than :data:`MAX_CHUNK`. Until the first
runs come back, tasks are small (:data:`FIRST_CHUNK`). A point's replications are cut into
near-equal chunks, in point order, so its preparation is shared by consecutive tasks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from titr.experiments.runner import Chunk, PointTask, RunRecord

TARGET_TASK_S = 2.0
MAX_CHUNK = 200
FIRST_CHUNK = 4
TAIL_SHARE = 2


class Chunker:
    """Iterate to get the chunks; call :meth:`observe` with each finished chunk's records.
    ``fixed`` replications per task turn the adaptation off."""

    def __init__(self, tasks: list[PointTask], todo: dict[int, list[int]], workers: int,
                 fixed: int | None = None) -> None:
        self.tasks, self.todo, self.workers, self.fixed = tasks, todo, max(1, workers), fixed
        self.left = sum(len(v) for v in todo.values())
        self.run_s = 0.0
        self.runs_seen = 0

    def observe(self, records: list[RunRecord]) -> None:
        self.run_s += sum(r.seconds for r in records)
        self.runs_seen += len(records)

    def size(self) -> int:
        if self.fixed:
            return self.fixed
        if self.runs_seen:
            want = TARGET_TASK_S / max(self.run_s / self.runs_seen, 1e-6)
        else:
            want = FIRST_CHUNK
        tail = self.left / (TAIL_SHARE * self.workers)
        return max(1, min(MAX_CHUNK, math.floor(want), math.ceil(tail)))

    def __iter__(self) -> Iterator[Chunk]:
        for task in self.tasks:
            reps = self.todo.get(task.point, [])
            i = 0
            while i < len(reps):
                rest = len(reps) - i
                step = math.ceil(rest / math.ceil(rest / self.size()))
                yield Chunk(task, tuple(reps[i:i + step]))
                i += step
                self.left -= step
