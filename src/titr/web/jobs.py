"""Background jobs (simulations, sweeps): each runs in its own process, reports its progress
through a pipe and can be cancelled (the process is terminated). At most ``Limits.max_jobs``
run at once; the next is refused with :class:`Busy` (HTTP 429) rather than queued out of sight.
Jobs live in this process's memory by id, so a page that reloads finds them again.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from multiprocessing.context import ForkServerContext
from typing import Any

import pandas as pd

from titr.web.compute import job_main
from titr.web.limits import Limits

PRELOAD = ["titr.web.compute", "titr.sim", "titr.assign"]


@cache
def mp_context() -> ForkServerContext:
    """Fork worker processes from a clean server that has the model imported (fast to start,
    and safe: never a fork of this threaded web server)."""
    ctx: ForkServerContext = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


class Busy(Exception):
    """The service is at its limit; try again later."""


@dataclass
class Job:
    id: str
    kind: str
    request: dict[str, Any]
    label: str
    state: str = "running"
    progress: float = 0.0
    message: str = "starting"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    problems: list[dict[str, str]] | None = None
    tables: dict[str, pd.DataFrame] | None = None
    process: Any = None
    conn: Any = None


class JobManager:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._closed = False

    def running(self) -> int:
        return sum(j.state == "running" for j in self._jobs.values())

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        return list(reversed(self._jobs.values()))

    def submit(self, kind: str, request: dict[str, Any], label: str = "") -> Job:
        ctx = mp_context()
        with self._lock:
            if self._closed:
                raise Busy("the service is shutting down")
            if self.running() >= self.limits.max_jobs:
                raise Busy(f"{self.limits.max_jobs} jobs are running")
            self._evict()
            job = Job(uuid.uuid4().hex[:12], kind, request, label)
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=job_main, args=(kind, request, send), daemon=True,
                               name=f"titr-job-{job.id}")
            proc.start()
            send.close()  # the child holds the only writer: EOF means the child is gone
            job.process, job.conn, job.started = proc, receive, time.time()
            self._jobs[job.id] = job
        threading.Thread(target=self._watch, args=(job,), daemon=True,
                         name=f"titr-watch-{job.id}").start()
        return job

    def _evict(self) -> None:
        done = [j.id for j in self._jobs.values() if j.state != "running"]
        while len(self._jobs) >= self.limits.keep_jobs and done:
            self._jobs.pop(done.pop(0), None)

    def _watch(self, job: Job) -> None:
        while True:
            try:
                msg = job.conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                if job.state != "running":
                    continue  # cancelled: late messages change nothing
                if msg[0] == "progress":
                    job.progress, job.message = max(job.progress, float(msg[1])), str(msg[2])
                elif msg[0] == "done":
                    job.tables, job.state, job.progress = msg[1], "done", 1.0
                    job.message = job.message or "done"
                elif msg[0] == "failed":
                    job.problems, job.state = msg[1], "failed"
                    job.message = msg[1][0]["message"] if msg[1] else "failed"
        job.process.join(timeout=10)
        with self._lock:
            if job.state == "running":  # the process died without a word
                job.state = "failed"
                job.problems = [{"field": "", "message": "the job's process stopped "
                                 f"(exit code {job.process.exitcode})",
                                 "fix": "run it again; if it recurs, ask for fewer "
                                        "replications or years"}]
                job.message = job.problems[0]["message"]
            job.finished = job.finished or time.time()
        job.conn.close()

    def cancel(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state != "running":
                return job
            job.state, job.message, job.finished = "cancelled", "cancelled", time.time()
        job.process.terminate()
        return job

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            running = [j for j in self._jobs.values() if j.state == "running"]
        for job in running:
            self.cancel(job.id)
        for job in running:
            job.process.join(timeout=5)
            if job.process.is_alive():
                job.process.kill()
