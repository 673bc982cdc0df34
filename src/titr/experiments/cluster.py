"""The Dask executor: a running cluster (``--scheduler tcp://host:8786``) or a local one.

The scenario travels once: one broadcast ``scatter`` of its payload, which every task names
(no worker reads a file of the client's). Before the first task every worker is warmed up
(``client.run``): it imports the model, checks the payload and its titr version, and stops
Dask's profiler; the workers that cannot run titr are named in one message. A point's
assignment is a task of its own whose result (a few tens of kB) the point's chunks depend on,
so it runs once however many workers share the point's replications. A worker that dies
mid-sweep loses only its tasks, which the scheduler runs again elsewhere (a lost preparation
too); each chunk's records reach the client once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from titr.experiments.executors import IN_FLIGHT_PER_WORKER, Executor, Prepare
from titr.experiments.payload import ScenarioPayload, WorkerProblem
from titr.experiments.runner import Chunk, RunError, RunFunction, RunRecord, execute
from titr.experiments.workers import TRIM_THRESHOLD, dask_warm
from titr.model.errors import Problem, TitrError, fail

WAIT_FOR_WORKERS_S = 30
# a local cluster's workers: no profiler, and glibc keeps freed memory (see .workers)
LOCAL_CONFIG = {"distributed.worker.profile.enabled": False,
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": TRIM_THRESHOLD}


class DaskExecutor(Executor):
    """A Dask ``distributed`` cluster: an existing one, or a LocalCluster on 127.0.0.1."""

    def __init__(self, scheduler: str | None, local_workers: int) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.cluster: Any = None
        self.futures: set[Any] = set()
        self.payload: Any = None
        self.where = scheduler or "a local cluster"
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                with dask.config.set(LOCAL_CONFIG):
                    self.cluster = LocalCluster(
                        n_workers=local_workers, threads_per_worker=1, processes=True,
                        dashboard_address=":0", host="127.0.0.1", silence_logs=logging.CRITICAL,
                        preload=["titr.experiments.workers"])  # runs dask_setup per worker
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as e:
            if self.cluster is not None:
                self.cluster.close()
            raise fail(f"cannot reach the Dask scheduler {scheduler!r}: {e}",
                       where="--scheduler", fix="start one (`dask scheduler`) and its workers, "
                       "check the address, or use --dask-local N") from None
        self.workers = self._count_workers()

    def _count_workers(self) -> int:
        threads = self.client.nthreads()
        if not threads:
            try:
                self.client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
            except (TimeoutError, OSError):
                self.close(abort=True)
                raise fail(f"the Dask scheduler {self.where} has no workers",
                           where="--scheduler", fix="start workers: dask worker "
                           f"{self.where}") from None
            threads = self.client.nthreads()
        return max(1, sum(threads.values()))

    def start(self, payload: ScenarioPayload | None) -> None:
        """Warm every worker up with the scenario, then scatter it once for the tasks."""
        if payload is None:
            return
        answers = self.client.run(dask_warm, payload, on_error="return")
        problems = [_worker_problem(addr, a) for addr, a in sorted(answers.items())
                    if isinstance(a, BaseException)]
        if problems:
            self.close(abort=True)
            raise TitrError(problems)
        self.payload = self.client.scatter(payload, broadcast=True, hash=False)

    def results(self, fn: RunFunction, chunks: Iterable[Chunk],
                prepare: Prepare | None = None) -> Iterator[list[RunRecord]]:
        from distributed import as_completed

        todo = iter(chunks)
        running = as_completed()
        prepared: dict[int, Any] = {}  # point → the future of its preparation

        def fill(n: int) -> None:
            for _ in range(n):
                chunk = next(todo, None)
                if chunk is None:
                    return
                point = chunk.task.point
                state = None
                if prepare is not None:
                    if point not in prepared:
                        prepared.clear()  # chunks come in point order; tasks keep theirs
                        prepared[point] = self.client.submit(
                            prepare, chunk.task, self.payload, pure=False,
                            key=f"titr-prepare-{chunk.task.key}-{point}")
                    state = prepared[point]
                future = self.client.submit(execute, fn, chunk, state, self.payload,
                                            pure=False)
                self.futures.add(future)
                running.add(future)

        fill(IN_FLIGHT_PER_WORKER * self.workers)
        for future in running:
            try:
                records = future.result()
            except RunError:
                raise
            except WorkerProblem as e:
                raise fail(e.what, where=f"worker {e.worker}", fix=e.fix) from None
            except Exception as e:  # the cluster's failure, said plainly
                raise _task_failure(e, self.where) from None
            self.futures.discard(future)
            yield records
            fill(1)

    def close(self, abort: bool) -> None:
        if self.client.status == "closed":
            return
        try:
            if abort and self.futures:
                self.client.cancel(list(self.futures), force=True)
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _worker_problem(address: str, e: BaseException) -> Problem:
    if isinstance(e, WorkerProblem):
        return Problem("", f"worker {address} ({e.worker})", e.what, e.fix)
    if isinstance(e, ImportError):
        return Problem("", f"worker {address}", f"cannot load titr ({e})",
                       "install titr, the client's version, with its dependencies on every "
                       "worker (pip install titr)")
    return Problem("", f"worker {address}", f"cannot start ({type(e).__name__}: {e})",
                   "check the worker's log; install titr on every worker")


def _task_failure(e: Exception, where: str) -> TitrError:
    name = type(e).__name__
    if name == "KilledWorker":
        return fail(f"a task killed the workers that ran it ({e})", where=f"cluster {where}",
                    fix="check the workers' logs (memory limit?); resume with --resume")
    if isinstance(e, ImportError):
        return fail(f"a worker cannot load titr ({e})", where=f"cluster {where}",
                    fix="install the client's titr version with its dependencies on every "
                        "worker")
    return fail(f"a task failed on the cluster: {name}: {e}", where=f"cluster {where}",
                fix="check the workers' logs; finished runs are stored, resume with --resume")
