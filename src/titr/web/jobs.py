"""Background jobs (simulations, sweeps): each runs in its own process, reports its progress
through a pipe and can be cancelled (the process is terminated). A job process dies with the
fork server that started it, which dies with this server, so a server killed outright leaves
no job running. With a Dask scheduler (``titr serve --scheduler ADDR``) each job is a task on
the cluster instead (:mod:`titr.web.cluster_jobs`). At most ``Limits.max_jobs`` run at once;
the next is refused with :class:`Busy` (HTTP 429) rather than queued out of sight. Jobs live
in this process's memory by id, so a page that reloads finds them again.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from multiprocessing.context import ForkServerContext
from typing import Any

import pandas as pd

from titr.experiments.workers import die_with_parent
from titr.web.cluster_jobs import ClusterJobs
from titr.web.compute import job_main
from titr.web.limits import Limits
from titr.web.served import adopt, served_files

PRELOAD = ["titr.web.compute", "titr.web.jobs", "titr.sim", "titr.assign"]
# A job runs for many seconds in the background; a what-if is answered while its user waits.
# On a busy machine the scheduler gives a process at niceness 10 about a tenth of the CPU of
# one at 0, so a job started next to 50 what-ifs delays them little, and runs at full speed
# when they are done.
JOB_NICENESS = 10


@cache
def mp_context() -> ForkServerContext:
    """Fork worker processes from a clean server that has the model imported (fast to start,
    and safe: never a fork of this threaded web server)."""
    ctx: ForkServerContext = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def job_process(kind: str, request: dict[str, Any], conn: Any,
                files: dict[str, str]) -> None:
    """A local job's process: it ends with its parent (Linux), yields the CPU to what-ifs
    (:data:`JOB_NICENESS`), offers the server's scenario files, then runs the job."""
    die_with_parent()
    os.nice(JOB_NICENESS)
    adopt(files)
    job_main(kind, request, conn)


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
    def __init__(self, limits: Limits, scheduler: str | None = None) -> None:
        self.limits = limits
        self.cluster = ClusterJobs(scheduler) if scheduler else None
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
        with self._lock:
            if self._closed:
                raise Busy("the service is shutting down")
            if self.running() >= self.limits.max_jobs:
                raise Busy(f"{self.limits.max_jobs} jobs are running")
            self._evict()
            job = Job(uuid.uuid4().hex[:12], kind, request, label)
            if self.cluster is not None:
                try:
                    job.process, job.conn = self.cluster.submit(kind, request, job.id)
                except (OSError, TimeoutError) as e:
                    raise Busy(f"cannot reach the Dask scheduler {self.cluster.scheduler}: "
                               f"{e}") from None
                watch = self._watch_cluster
            else:
                ctx = mp_context()
                receive, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=job_process, args=(kind, request, send, served_files()),
                                   daemon=True, name=f"titr-job-{job.id}")
                proc.start()
                send.close()  # the child holds the only writer: EOF means the child is gone
                job.process, job.conn = proc, receive
                watch = self._watch
            job.started = time.time()
            self._jobs[job.id] = job
        threading.Thread(target=watch, args=(job,), daemon=True,
                         name=f"titr-watch-{job.id}").start()
        return job

    def _evict(self) -> None:
        done = [j.id for j in self._jobs.values() if j.state != "running"]
        while len(self._jobs) >= self.limits.keep_jobs and done:
            self._jobs.pop(done.pop(0), None)

    def _receive(self, job: Job, msg: tuple[Any, ...]) -> None:
        with self._lock:
            if job.state != "running":
                return  # cancelled: late messages change nothing
            if msg[0] == "progress":
                job.progress, job.message = max(job.progress, float(msg[1])), str(msg[2])
            elif msg[0] == "done":
                job.tables, job.state, job.progress = msg[1], "done", 1.0
                job.message = job.message or "done"
            elif msg[0] == "failed":
                job.problems, job.state = msg[1], "failed"
                job.message = msg[1][0]["message"] if msg[1] else "failed"

    def _ended(self, job: Job, why: str) -> None:
        with self._lock:
            if job.state == "running":  # the process (or task) ended without a word
                job.state = "failed"
                job.problems = [{"field": "", "message": why,
                                 "fix": "run it again; if it recurs, ask for fewer "
                                        "replications or years"}]
                job.message = job.problems[0]["message"]
            job.finished = job.finished or time.time()

    def _watch(self, job: Job) -> None:
        while True:
            try:
                msg = job.conn.recv()
            except (EOFError, OSError):
                break
            self._receive(job, msg)
        job.process.join(timeout=10)
        self._ended(job, f"the job's process stopped (exit code {job.process.exitcode})")
        job.conn.close()

    def _watch_cluster(self, job: Job) -> None:
        assert self.cluster is not None
        for msg in self.cluster.messages(job.process, job.conn):
            self._receive(job, msg)
            if job.state != "running":
                break
        self._ended(job, "the job's task on the cluster ended without a result")

    def cancel(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state != "running":
                return job
            job.state, job.message, job.finished = "cancelled", "cancelled", time.time()
        if self.cluster is not None:
            job.process.cancel()  # a task not started never runs; a running one is dropped
        else:
            job.process.terminate()
        return job

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            running = [j for j in self._jobs.values() if j.state == "running"]
        for job in running:
            self.cancel(job.id)
        if self.cluster is not None:
            self.cluster.close()
            return
        for job in running:
            job.process.join(timeout=5)
            if job.process.is_alive():
                job.process.kill()
