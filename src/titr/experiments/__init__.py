"""Layer 7 — experiments: scenario grids and Monte Carlo replications, run serially, on local
processes or on a Dask cluster, with every run stored in DuckDB as it finishes.

>>> from titr.experiments import run_sweep
>>> res = run_sweep("ferries-storms-demand-2030", out="sweep.duckdb",
...                 executor="processes")                   # doctest: +SKIP
>>> res.headline()              # per point: parameters, mean [95 % CI] of chosen outputs
>>> res.sensitivity             # which parameter moves each output most

The experiment file is described in :mod:`titr.experiments.spec`, the outputs in
:mod:`titr.experiments.outputs`, the database in :mod:`titr.experiments.store` and the
sensitivity method in :mod:`titr.experiments.sensitivity`.
"""

from titr.experiments.executors import ExecutorSpec
from titr.experiments.outputs import OUTPUTS, Output
from titr.experiments.resolve import Resolved
from titr.experiments.runner import PointTask, run_titr
from titr.experiments.spec import Experiment, Parameter, read_experiment
from titr.experiments.sweep import (
    DEFAULT_MAX_RUNS,
    SweepInterrupted,
    SweepResult,
    load_experiment,
    run_sweep,
)

__all__ = [
    "DEFAULT_MAX_RUNS",
    "OUTPUTS",
    "ExecutorSpec",
    "Experiment",
    "Output",
    "Parameter",
    "PointTask",
    "Resolved",
    "SweepInterrupted",
    "SweepResult",
    "load_experiment",
    "read_experiment",
    "run_sweep",
    "run_titr",
]
