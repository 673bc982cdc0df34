"""Helpers for the sweep tests: tiny experiment files, a synthetic model, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from titr.experiments import Output, PointTask

TESTS = Path(__file__).resolve().parents[1]
TINY = TESTS / "fixtures" / "tiny.toml"

TINY_EXPERIMENT = f"""
name = "tiny-sweep"
scenario = "{TINY}"
years = [2022]
design = "full-factorial"
replications = 3
seed = 11
outputs = ["focus_t", "unserved_t", "bottleneck", "median_days", "p90_days",
           "vessel_wait_mean_h", "vessel_wait_p90_h"]
sensitivity = ["focus_t", "p90_days:middle/container"]

[[parameters]]
name = "ferries"
path = "fleets.ferries.vessels"
values = [1, 3]

[[parameters]]
name = "market"
path = "parameters.market_scale"
values = [0.5, 1.5]
"""


def write(folder: Path, text: str, name: str = "exp.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tiny_experiment(folder: Path, **changes: Any) -> Path:
    """The tiny experiment, with top-level fields replaced (``replications=20``)."""
    lines = TINY_EXPERIMENT.splitlines()
    for key, value in changes.items():
        lines = [f"{key} = {value}" if ln.startswith(f"{key} =") else ln for ln in lines]
    return write(folder, "\n".join(lines) + "\n")


def titr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def synthetic(task: PointTask, replication: int) -> list[Output]:
    """A model we control: y = 5·a + 0.1·b + noise (a, b in the same range)."""
    a, b = float(task.values["a"]), float(task.values["b"])
    rng = np.random.default_rng(np.random.SeedSequence((task.seed, task.point, replication)))
    return [Output(0, "y", "", 5.0 * a + 0.1 * b + rng.normal(0.0, 0.5))]


SYNTHETIC_EXPERIMENT = f"""
name = "synthetic"
scenario = "{TINY}"
years = [2022]
design = "latin-hypercube"
points = 40
replications = 2
seed = 3

[[parameters]]
name = "a"
path = "fleets.ferries.vessels"
low = 0.0
high = 1.0

[[parameters]]
name = "b"
path = "parameters.co2_price"
low = 0.0
high = 1.0
"""


def failing(task: PointTask, replication: int) -> list[Output]:
    """The synthetic model, refusing points with a > 0.9 as the real model refuses bad input."""
    from titr.model.errors import fail

    if float(task.values["a"]) > 0.9:
        raise fail("the model refuses this point", where="fleets", fix="use fewer ferries")
    return synthetic(task, replication)


def slow_titr(task: PointTask, replication: int) -> list[Output]:
    """The titr model, a run taking at least 50 ms (so a sweep lasts long enough to be
    disturbed while it runs)."""
    import time

    from titr.experiments import run_titr

    time.sleep(0.05)
    return run_titr(task, replication)
