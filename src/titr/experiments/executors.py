"""Where the runs run: serially, on local processes, or on a Dask cluster.

Each executor is a context manager with :meth:`Executor.results`, which runs chunks (a few
replications of one point) and yields each chunk's records as it finishes, keeping about two
chunks per worker in flight. Leaving the ``with`` block on an error or Ctrl-C stops the workers
at once (processes are terminated, Dask futures cancelled and a local cluster closed); leaving
it normally shuts them down cleanly. Only ``titr.experiments.runner.execute`` and the run
function travel to the workers, so they must be top-level (picklable) functions.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

from titr.experiments.runner import Chunk, RunFunction, RunRecord, execute
from titr.model.errors import fail

Kind = Literal["serial", "processes", "dask"]
KINDS: tuple[Kind, ...] = ("serial", "processes", "dask")
IN_FLIGHT_PER_WORKER = 2


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
    """Runs chunks and yields their records as they finish (see the module's docstring)."""

    workers = 1

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(abort=exc_type is not None)

    def close(self, abort: bool) -> None:
        """Release the workers; ``abort`` stops them without waiting."""

    def results(self, fn: RunFunction, chunks: Iterable[Chunk]) -> Iterator[list[RunRecord]]:
        for chunk in chunks:
            yield execute(fn, chunk)


def _quiet_worker() -> None:
    """Worker processes leave Ctrl-C to the main process, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, run in each worker process of a local cluster: Ctrl-C in the
    terminal reaches the whole process group; the sweep (the main process) stops the workers."""
    _quiet_worker()


class ProcessExecutor(Executor):
    """Local worker processes (spawned: nothing of the parent's state is inherited)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_quiet_worker)

    def results(self, fn: RunFunction, chunks: Iterable[Chunk]) -> Iterator[list[RunRecord]]:
        todo = iter(chunks)
        running: set[Future[list[RunRecord]]] = set()

        def fill() -> None:
            while len(running) < IN_FLIGHT_PER_WORKER * self.workers:
                chunk = next(todo, None)
                if chunk is None:
                    return
                running.add(self.pool.submit(execute, fn, chunk))

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                yield future.result()
            fill()

    def close(self, abort: bool) -> None:
        if not abort:
            self.pool.shutdown(wait=True)
            return
        processes: dict[int, Any] = dict(getattr(self.pool, "_processes", None) or {})
        self.pool.shutdown(wait=False, cancel_futures=True)
        for p in processes.values():
            if p.is_alive():
                p.terminate()
        for p in processes.values():
            p.join(timeout=5)


class DaskExecutor(Executor):
    """A Dask ``distributed`` cluster: an existing one, or a LocalCluster on 127.0.0.1."""

    def __init__(self, scheduler: str | None, local_workers: int) -> None:
        from distributed import Client, LocalCluster

        self.cluster: Any = None
        self.futures: list[Any] = []
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                self.cluster = LocalCluster(
                    n_workers=local_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, host="127.0.0.1", silence_logs=logging.ERROR,
                    preload=[__name__])  # runs dask_setup in each worker
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as e:
            if self.cluster is not None:
                self.cluster.close()
            raise fail(f"cannot reach the Dask scheduler {scheduler!r}: {e}",
                       where="--scheduler", fix="start one (`dask scheduler`) and its workers, "
                       "check the address, or use --dask-local N") from None
        threads = self.client.nthreads()
        self.workers = max(1, sum(threads.values()))

    def results(self, fn: RunFunction, chunks: Iterable[Chunk]) -> Iterator[list[RunRecord]]:
        from distributed import as_completed

        todo = iter(chunks)
        running = as_completed()

        def fill(n: int) -> None:
            for _ in range(n):
                chunk = next(todo, None)
                if chunk is None:
                    return
                future = self.client.submit(execute, fn, chunk, pure=False)
                self.futures.append(future)
                running.add(future)

        fill(IN_FLIGHT_PER_WORKER * self.workers)
        for future in running:
            records = future.result()
            self.futures.remove(future)
            yield records
            fill(1)

    def close(self, abort: bool) -> None:
        try:
            if abort and self.futures:
                self.client.cancel(self.futures, force=True)
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def open_executor(spec: ExecutorSpec) -> Executor:
    spec.check()
    if spec.kind == "serial":
        return Executor()
    if spec.kind == "processes":
        return ProcessExecutor(spec.slots)
    return DaskExecutor(spec.scheduler, spec.slots)
