"""Where the runs run: serially, on local processes, or on a Dask cluster (:mod:`.cluster`).

Each executor is a context manager. :meth:`Executor.start` ships the sweep's scenario (see
:mod:`titr.experiments.payload`) and warms the workers up once; :meth:`Executor.results` runs
chunks (a few replications of one point, in point order) and yields each chunk's records as it
finishes, keeping about two chunks per worker in flight. With a ``prepare`` function, a point's
assignment runs once, as a task of its own, and its result goes with each chunk of the point.
Leaving the ``with`` block on an error or Ctrl-C stops the workers at once (processes are
terminated, Dask futures cancelled and a local cluster closed); leaving it normally shuts them
down cleanly. Only top-level (picklable) functions travel to the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

from titr.experiments.payload import ScenarioPayload, install
from titr.experiments.runner import Chunk, PointState, PointTask, RunFunction, RunRecord, execute
from titr.experiments.workers import local_worker
from titr.model.errors import fail

Kind = Literal["serial", "processes", "dask"]
KINDS: tuple[Kind, ...] = ("serial", "processes", "dask")
IN_FLIGHT_PER_WORKER = 2
TASKS_PER_PROCESS = 500  # local workers are renewed after about this many tasks each
Prepare = Callable[[PointTask], PointState]


@dataclass(frozen=True)
class ExecutorSpec:
    """``serial``; ``processes`` (``workers``, default all cores); or ``dask`` on an existing
    cluster (``scheduler = "tcp://host:8786"``) or a local one (``dask_local = N`` workers)."""

    kind: Kind = "processes"
    workers: int | None = None
    scheduler: str | None = None
    dask_local: int | None = None

    def check(self) -> ExecutorSpec:
        if self.kind not in KINDS:
            raise fail(f"unknown executor {self.kind!r}", where="--executor",
                       fix=f"use one of: {', '.join(KINDS)}")
        if self.workers is not None and self.workers < 1:
            raise fail("--workers must be at least 1", where="--workers", fix="give 1 or more")
        if self.dask_local is not None and self.dask_local < 1:
            raise fail("--dask-local must be at least 1", where="--dask-local",
                       fix="give the number of local Dask workers, 1 or more")
        if self.kind != "dask" and (self.scheduler or self.dask_local):
            raise fail(f"--scheduler and --dask-local need the dask executor, not {self.kind}",
                       where="--executor", fix="use --executor dask (or leave it out)")
        if self.scheduler and self.dask_local:
            raise fail("give --scheduler or --dask-local, not both", where="--scheduler",
                       fix="--scheduler uses a running cluster; --dask-local N starts one")
        return self

    @property
    def slots(self) -> int:
        """Parallel workers asked for (an existing Dask cluster says its own)."""
        if self.kind == "serial":
            return 1
        if self.kind == "dask":
            return self.dask_local or self.workers or (os.cpu_count() or 1)
        return self.workers or (os.cpu_count() or 1)


class Executor:
    """Runs chunks in this process (see the module's docstring)."""

    workers = 1

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(abort=exc_type is not None)

    def start(self, payload: ScenarioPayload | None) -> None:
        """Ship the scenario to the workers and warm them up (here: this process)."""
        if payload is not None:
            install(payload)

    def close(self, abort: bool) -> None:
        """Release the workers; ``abort`` stops them without waiting."""

    def results(self, fn: RunFunction, chunks: Iterable[Chunk],
                prepare: Prepare | None = None) -> Iterator[list[RunRecord]]:
        states: dict[int, PointState] = {}
        for chunk in chunks:
            point = chunk.task.point
            if prepare is not None and point not in states:
                states = {point: prepare(chunk.task)}
            yield execute(fn, chunk, states.get(point))


class ProcessExecutor(Executor):
    """Local worker processes (spawned: nothing of the parent's state is inherited), started
    by :meth:`start` with the scenario installed and the model imported.

    Workers are renewed by replacing the whole pool after ``TASKS_PER_PROCESS`` tasks a worker
    on average (the old pool finishes what it has taken), not with the executor's
    ``max_tasks_per_child``: on Python 3.11 a pool whose worker retires while tasks wait can
    hang for good (CPython gh-115634)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.retired: list[ProcessPoolExecutor] = []  # still finishing what they had taken
        self.given = 0  # tasks given to the current pool
        self.payload: ScenarioPayload | None = None

    def start(self, payload: ScenarioPayload | None) -> None:
        self.payload = payload
        wait(self._new_pool())

    def _new_pool(self) -> list[Future[int]]:
        """A fresh pool with every worker started now, with Ctrl-C ignored from birth (a
        process that is still importing when the terminal's SIGINT reaches the group would
        die with a traceback)."""
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=local_worker, initargs=(self.payload, os.getpid()))
            self.given = 0
            return [self.pool.submit(os.getpid) for _ in range(self.workers)]
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Give a task to the current pool, renewing the pool when its workers have had their
        share of tasks."""
        assert self.pool is not None, "start() first"
        if self.given >= TASKS_PER_PROCESS * self.workers:
            self.pool.shutdown(wait=False)  # it still runs the tasks it has taken
            self.retired.append(self.pool)
            self._new_pool()
        self.given += 1
        assert self.pool is not None
        return self.pool.submit(fn, *args)

    def results(self, fn: RunFunction, chunks: Iterable[Chunk],
                prepare: Prepare | None = None) -> Iterator[list[RunRecord]]:
        assert self.pool is not None, "start() first"
        todo = iter(chunks)
        running: dict[Future[Any], Chunk | int] = {}  # a chunk, or the point being prepared
        waiting: dict[int, list[Chunk]] = {}  # chunks of points being prepared
        states: OrderedDict[int, PointState] = OrderedDict()

        def submit(chunk: Chunk) -> None:
            running[self.submit(execute, fn, chunk, states.get(chunk.task.point))] = chunk

        def fill() -> None:
            while len(running) + sum(map(len, waiting.values())) < (
                    IN_FLIGHT_PER_WORKER * self.workers):
                chunk = next(todo, None)
                if chunk is None:
                    return
                point = chunk.task.point
                if prepare is None or point in states:
                    submit(chunk)
                    continue
                if point not in waiting:
                    running[self.submit(prepare, chunk.task)] = point
                waiting.setdefault(point, []).append(chunk)

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                what = running.pop(future)
                if isinstance(what, Chunk):
                    yield future.result()
                    continue
                states[what] = future.result()
                while len(states) > 2 * self.workers + 2:  # chunks come in point order
                    states.popitem(last=False)
                for chunk in waiting.pop(what):
                    submit(chunk)
            fill()

    def close(self, abort: bool) -> None:
        pools = [*self.retired, *([self.pool] if self.pool is not None else [])]
        if not abort:
            for pool in pools:
                pool.shutdown(wait=True)
            return
        processes: list[Any] = []
        for pool in pools:
            processes += list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            if p.is_alive():
                p.terminate()
        for p in processes:
            p.join(timeout=5)


def open_executor(spec: ExecutorSpec) -> Executor:
    spec.check()
    if spec.kind == "serial":
        return Executor()
    if spec.kind == "processes":
        return ProcessExecutor(spec.slots)
    from titr.experiments.cluster import DaskExecutor

    return DaskExecutor(spec.scheduler, spec.slots)
