"""What a sweep ships to its workers: the base scenario, resolved on the client, with a
fingerprint — never a path, so a worker on another machine needs no file of the client's.

The client resolves the scenario (its ``extends`` chain merged, validated) and ships its
canonical JSON once per worker (Dask: one broadcast scatter; local processes: the pool's
initializer). A worker installs it once per process: it checks that the text hashes to the
fingerprint the tasks name and that it runs the client's titr version, then keeps the parsed
scenario for every task. A worker that cannot run a task raises :class:`WorkerProblem`, one
message that names the worker and the fix.
"""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass

from titr.model import Scenario

_INSTALLED: dict[str, Scenario] = {}


def digest_of(text: str) -> str:
    """The fingerprint of a scenario's canonical JSON (16 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def titr_version() -> str:
    from titr import __version__

    return __version__


class WorkerProblem(Exception):
    """A worker that cannot run the sweep's tasks (another titr version, a missing package,
    a scenario that does not match its fingerprint). Picklable: ``str(e)`` is the message."""

    def __init__(self, worker: str, what: str, fix: str) -> None:
        super().__init__(f"worker {worker}: {what}; {fix}")
        self.worker, self.what, self.fix = worker, what, fix

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (WorkerProblem, (self.worker, self.what, self.fix))


@dataclass(frozen=True)
class ScenarioPayload:
    """The base scenario as shipped: canonical JSON, its fingerprint, the client's titr."""

    digest: str
    json: str
    titr: str

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioPayload:
        text = scenario.model_dump_json()
        return cls(digest_of(text), text, titr_version())


def install(payload: ScenarioPayload) -> Scenario:
    """Check the payload on this worker and keep its scenario (once per process)."""
    sc = _INSTALLED.get(payload.digest)
    if sc is not None:
        return sc
    if payload.titr != titr_version():
        raise WorkerProblem(worker_name(), f"runs titr {titr_version()}, the client titr "
                            f"{payload.titr}", "install the client's titr version on every "
                            "worker (pip install titr==" + payload.titr + ")")
    if digest_of(payload.json) != payload.digest:
        raise WorkerProblem(worker_name(), f"received a scenario that does not match its "
                            f"fingerprint {payload.digest}", "run the sweep again (the "
                            "transfer was damaged)")
    sc = Scenario.model_validate_json(payload.json)
    _INSTALLED.clear()  # one sweep's scenario at a time
    _INSTALLED[payload.digest] = sc
    return sc


def installed(digest: str) -> Scenario:
    """The scenario of fingerprint ``digest``, installed by :func:`install`."""
    sc = _INSTALLED.get(digest)
    if sc is None:
        raise WorkerProblem(worker_name(), f"has no scenario of fingerprint {digest}",
                            "ship it with the tasks (run_sweep does; a custom executor must "
                            "call titr.experiments.payload.install on each worker)")
    return sc
