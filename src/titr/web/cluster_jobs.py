"""Background jobs on a Dask cluster (``titr serve --scheduler ADDR``).

A job is one Dask task running :func:`titr.web.compute.job_main` on a worker. Its progress
messages come back as Dask events on a topic named after the job (``Worker.log_event``,
``Client.subscribe_topic``); its result (or its problems) as the task's result. The
requests carry only names and numbers (built-in scenarios and levers), so a worker needs
titr installed and nothing of the server's. Cancelling releases the task: one not started
never runs; one already running finishes on its worker, and its result is dropped.
"""

from __future__ import annotations

import queue
from typing import Any

from titr.web.compute import job_main

TOPIC = "titr-job-{}"
WAIT_S = 0.5  # how often the watcher looks at the task between progress messages


class _Publisher:
    """What ``job_main`` writes to: progress goes to the topic, the last word is kept."""

    def __init__(self, job_id: str) -> None:
        from distributed import get_worker

        self.worker, self.topic = get_worker(), TOPIC.format(job_id)
        self.last: tuple[Any, ...] = ("failed", [{"field": "", "message": "no result",
                                                  "fix": "run it again"}])

    def send(self, msg: tuple[Any, ...]) -> None:
        if msg[0] == "progress":
            self.worker.log_event(self.topic, list(msg))
        else:
            self.last = msg

    def close(self) -> None:
        """Nothing to close: the task's result carries the last word."""


def run_on_worker(kind: str, request: dict[str, Any], job_id: str) -> tuple[Any, ...]:
    """The task: the job, with progress published; returns ("done", tables) or
    ("failed", problems)."""
    out = _Publisher(job_id)
    job_main(kind, request, out)
    return out.last


class ClusterJobs:
    """The server's connection to the cluster, opened at the first job."""

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler
        self.client: Any = None

    def _client(self) -> Any:
        if self.client is None:
            from distributed import Client

            self.client = Client(self.scheduler, timeout="10s")
        return self.client

    def submit(self, kind: str, request: dict[str, Any], job_id: str) -> tuple[Any, Any]:
        """The job's future and the queue its progress events arrive on."""
        client = self._client()
        inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
        client.subscribe_topic(TOPIC.format(job_id), lambda event: inbox.put(tuple(event[1])))
        future = client.submit(run_on_worker, kind, request, job_id, pure=False,
                               key=f"titr-job-{job_id}")
        return future, inbox

    def messages(self, future: Any, inbox: queue.Queue[tuple[Any, ...]]) -> Any:
        """Progress messages, then the final one, as the job_main pipe would give them."""
        while not future.done():
            try:
                yield inbox.get(timeout=WAIT_S)
            except queue.Empty:
                continue
        try:
            yield future.result()
        except Exception as e:  # the cluster's failure (a lost worker, a missing package)
            yield ("failed", [{"field": "", "message": f"the cluster could not run the job: "
                               f"{type(e).__name__}: {e}", "fix": "check the Dask workers "
                               "(titr installed, same version) and run it again"}])

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
