"""Assessments on demand: a small process pool computes them (and their report data), so the
web server stays responsive and two cores work at once. Identical requests share one
computation (in flight or cached); every request still gets its own run id and label.
Results are kept in memory by id, the oldest dropped first.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from titr.web import compute
from titr.web.compute import Assessed
from titr.web.jobs import Busy, mp_context
from titr.web.limits import Limits
from titr.web.schemas import AssessmentRequest
from titr.web.served import served_files

T = TypeVar("T")


@dataclass
class Computed:
    """One assessment's result, shared by the runs that asked for the same thing."""

    out: Assessed
    blob: str | None = None  # the report's data, JSON, made on the first view


@dataclass
class Run:
    id: str
    request: dict[str, Any]
    label: str
    created: float
    computed: Computed

    @property
    def scenario(self) -> str:
        return str(self.request["scenario"])

    @property
    def levers(self) -> dict[str, Any]:
        given = self.request["levers"]
        flat = {k: v for k, v in given.items() if v is not None and k != "study"}
        return {**flat, **(given.get("study") or {})}  # the scenario's own levers by key


class Runs:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._pool: ProcessPoolExecutor | None = None
        self._taken = 0  # tasks given to the current pool
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._cache: OrderedDict[str, Computed] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        self._pending = 0
        self._lock = threading.Lock()
        self.warm_name: str | None = None  # the scenario each new worker loads first

    # ---- the pool ---------------------------------------------------------------------------
    def pool(self) -> ProcessPoolExecutor:
        """The pool to give a task to. Workers die with their parent (even a SIGKILLed one).
        After ``tasks_per_worker`` tasks a worker on average, a fresh pool takes new tasks
        and the old one exits once it has finished its own, so memory a task leaves behind
        does not add up. (Not the executor's ``max_tasks_per_child``: on Python 3.11 it
        deadlocks once a worker retires with tasks queued, CPython gh-115634.)"""
        with self._lock:
            if self._pool is not None and \
                    self._taken >= self.limits.tasks_per_worker * self.limits.pool_workers:
                self._pool.shutdown(wait=False)  # it still runs the tasks it has taken
                self._pool = None
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.limits.pool_workers, mp_context=mp_context(),
                    initializer=compute.worker_start,
                    initargs=(os.getpid(), self.warm_name, served_files()))
                self._taken = 0
            self._taken += 1
            return self._pool

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` in the pool (a crashed pool is replaced once), leaving the worker as it
        found it (:func:`compute.pooled`); Busy if too many wait."""
        if self._pending >= self.limits.max_pending:
            raise Busy(f"{self._pending} assessments are waiting")
        self._pending += 1
        try:
            for attempt in (1, 2):
                try:
                    return await asyncio.wrap_future(
                        self.pool().submit(compute.pooled, fn, *args))
                except BrokenProcessPool:
                    with self._lock:
                        self._pool = None
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")
        finally:
            self._pending -= 1

    async def _shared(self, key: str, make: Callable[[], Any]) -> Any:
        """One computation per key at a time: later callers await the first."""
        fut = self._inflight.get(key)
        if fut is None:
            fut = asyncio.ensure_future(make())
            self._inflight[key] = fut
            fut.add_done_callback(lambda _: self._inflight.pop(key, None))
        return await asyncio.shield(fut)

    def warm(self, name: str) -> None:
        """Start the workers, each loading ``name`` as it starts (:func:`compute.worker_start`),
        in a background thread (starting the worker server takes seconds; the service answers
        meanwhile)."""

        self.warm_name = name

        def start() -> None:  # a pool starts its workers as tasks arrive
            for _ in range(self.limits.pool_workers):
                self.pool().submit(compute.ready)

        threading.Thread(target=start, daemon=True, name="titr-warm").start()

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # ---- assessments ------------------------------------------------------------------------
    async def assess(self, req: AssessmentRequest) -> tuple[Run, bool]:
        request = req.model_dump(mode="json", exclude={"label"})
        key = json.dumps(request, sort_keys=True)
        computed = self._cache.get(key)
        cached = computed is not None
        if computed is None:
            cached = key in self._inflight  # an identical request is being computed: share it
            computed = await self._shared(key, lambda: self._compute(key, request))
        assert computed is not None
        run = Run(uuid.uuid4().hex[:12], request, req.label, time.time(), computed)
        self._runs[run.id] = run
        while len(self._runs) > self.limits.keep_runs:
            self._runs.popitem(last=False)
        return run, cached

    async def _compute(self, key: str, request: dict[str, Any]) -> Computed:
        out = await self._call(compute.assess_task, request)
        computed = Computed(out)
        self._cache[key] = computed
        while len(self._cache) > self.limits.keep_runs:
            self._cache.popitem(last=False)
        return computed

    def get(self, run_id: str) -> Run | None:
        return self._runs.get(run_id)

    def list(self) -> list[Run]:
        return list(reversed(self._runs.values()))

    async def blob(self, run: Run) -> str:
        c = run.computed
        if c.blob is None:
            c.blob = await self._shared(f"blob:{id(c)}", lambda: self._call(
                compute.blob_task, c.out.res, c.out.extras))
        return c.blob

    async def duckdb(self, run: Run) -> str:
        """A fresh results database of the run in a temporary file (the caller deletes it)."""
        fd, path = tempfile.mkstemp(prefix=f"titr-{run.id}-", suffix=".duckdb")
        os.close(fd)
        os.unlink(path)  # DuckDB creates it
        try:
            await self._call(compute.duckdb_task, run.request, run.computed.out.res, path)
        except BaseException:
            for leftover in (path, path + ".wal"):
                if os.path.exists(leftover):
                    os.unlink(leftover)
            raise
        return path
