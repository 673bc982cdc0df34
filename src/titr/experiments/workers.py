"""Setting up a worker process once: signals, memory, imports, the sweep's scenario.

- Ctrl-C is left to the sweep (the main process), which stops the workers.
- On Linux a local worker asks the kernel to kill it when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), so a sweep killed with SIGKILL leaves no worker behind; the
  multiprocessing resource tracker then sees its last writer gone and exits too.
- glibc's malloc trim threshold is raised: Dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` for its
  workers, which makes a run of the simulation spend ~40 % more CPU returning memory to the
  system and taking it back.
- The model's modules are imported and the scenario installed before the first task.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import logging
import signal
import sys
from typing import Any

from titr.experiments.payload import ScenarioPayload, WorkerProblem, install, worker_name
from titr.procs import die_with_parent

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
TRIM_THRESHOLD = 256 * 2**20  # bytes of free heap kept before glibc returns it
WARM_MODULES = ("titr.assign", "titr.sim.build", "titr.sim.engine", "titr.studies.scenario_year",
                "titr.experiments.outputs")


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError as e:
        log.debug("no C library (%s): workers are not tied to the parent's life", e)
        return None


def keep_freed_memory() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def warm(payload: ScenarioPayload | None) -> str:
    """Import the model and install the scenario; raise :class:`WorkerProblem` if this
    worker cannot (a missing package, another titr version). Returns the worker's name."""
    keep_freed_memory()
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as e:
            raise WorkerProblem(worker_name(), f"cannot import {name} ({e})",
                                "install titr with its dependencies on every worker "
                                "(pip install titr)") from None
    if payload is not None:
        install(payload)
    return worker_name()


def local_worker(payload: ScenarioPayload | None, parent: int | None = None) -> None:
    """The initializer of a local worker process; ``parent`` is the sweep's pid (a worker
    still importing when the sweep is killed finds itself re-parented, and exits)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    warm(payload)


def dask_setup(worker: Any) -> None:
    """Dask's preload hook in each worker of a local cluster: Ctrl-C reaches the whole process
    group, but the sweep (the main process) stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def dask_warm(payload: ScenarioPayload, dask_worker: Any = None) -> str:
    """Run on every Dask worker (``client.run``) before the first task: :func:`warm`, and
    the worker's statistical profiler stopped (it samples every 10 ms; runs are CPU-bound)."""
    name = warm(payload)
    callbacks = getattr(dask_worker, "periodic_callbacks", {}) or {}
    for key in ("profile", "profile-cycle"):
        if key in callbacks:
            callbacks[key].stop()
    address = getattr(dask_worker, "address", "")
    return f"{address} ({name})" if address else name
