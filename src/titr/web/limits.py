"""How much the service takes on: request sizes, concurrency and what it keeps in memory.

The request models (:mod:`titr.web.schemas`) use the ``MAX_*`` bounds, so a request that asks
for too much fails validation with a 422 naming the field; :class:`Limits` bounds the server's
work (running jobs, waiting assessments, kept results) and can be tightened per app.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_YEARS = 20  # years of one assessment (the built-in horizon is 17)
MAX_REPLICATIONS = 50  # replications of one simulation job
MAX_SWEEP_VALUES = 12  # values of one sweep's lever
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Limits:
    """Server-side bounds; a request beyond them gets 429 (busy) rather than waiting forever."""

    max_jobs: int = 2  # simulation and sweep jobs running at once, each in its own process
    keep_jobs: int = 40  # finished jobs kept for their results (oldest dropped first)
    keep_runs: int = 40  # assessment results kept for views and downloads
    pool_workers: int = 2  # processes computing assessments and report data
    # a pool process is replaced after this many tasks, in case memory adds up (tasks leave
    # their worker as they found it, titr.web.tidy; a new worker loads and assesses again)
    tasks_per_worker: int = 500
    max_pending: int = 64  # assessment requests queued for the pool before 429
