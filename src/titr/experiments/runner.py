"""What runs on a worker: the runs of one design point, and the titr model behind a run.

A task is one design point and a few of its replications (:class:`Chunk`); it carries only
small inputs (the scenario's name or path, the point's ``--set`` overrides), never a scenario
or a network. A worker process keeps the base scenario and, per point, the assessment and the
simulation plans it built (:func:`run_titr`), so a point is assigned once per worker however
many of its replications that worker runs.

The run function is pluggable: any top-level (picklable) ``fn(point, replication) -> outputs``
works; ``run_titr`` is the real model. Run ``r`` of point ``p`` draws its random numbers from
``SeedSequence((seed, p, r))``, so every executor gives the same numbers.
"""

from __future__ import annotations

import os
import socket
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from titr.experiments.outputs import (
    ASSESSMENT,
    SIMULATION,
    Output,
    assessment_outputs,
    simulation_outputs,
)
from titr.experiments.spec import Value
from titr.model import Scenario, TitrError
from titr.model.errors import Problem
from titr.sim.plan import Plan

CACHED_POINTS = 4


@dataclass(frozen=True)
class PointTask:
    """Everything a run function needs about one design point (small, picklable)."""

    key: str  # the experiment's fingerprint (the workers' cache key)
    point: int
    values: dict[str, Value]  # design values by parameter label
    overrides: dict[str, Value]  # the concrete --set overrides
    scenario: str  # a built-in name or an absolute path
    years: tuple[int, ...]
    outputs: tuple[str, ...]
    seed: int
    warmup_days: float = 30.0
    drain_days: float = 90.0


RunFunction = Callable[[PointTask, int], list[Output]]


@dataclass(frozen=True)
class Chunk:
    """A task: some replications of one point."""

    task: PointTask
    replications: tuple[int, ...]


@dataclass(frozen=True)
class RunRecord:
    """One finished run."""

    point: int
    replication: int
    seconds: float
    worker: str
    outputs: list[Output]


class RunError(Exception):
    """Bad input met on a worker (a point's values the model refuses). Unlike TitrError it
    survives pickling; the sweep turns it back into a TitrError."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def execute(fn: RunFunction, chunk: Chunk) -> list[RunRecord]:
    """Run a chunk's replications one after the other (the function shipped to workers)."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    task = chunk.task
    out = []
    for r in chunk.replications:
        t0 = time.perf_counter()
        try:
            outputs = fn(task, r)
        except TitrError as e:
            where = f"point {task.point} ({', '.join(f'{k}={v}' for k, v in task.values.items())})"
            raise RunError([Problem(p.file, f"{where}: {p.where}" if p.where else where, p.what,
                                    p.fix or "leave this value out of the experiment", p.line)
                            for p in e.problems]) from None
        out.append(RunRecord(task.point, r, time.perf_counter() - t0, worker, outputs))
    return out


# ---- the titr model ------------------------------------------------------------------------
@dataclass
class _PointState:
    assessment: dict[int, list[Output]]
    plans: dict[int, Plan]


_BASES: dict[str, Scenario] = {}
_STATES: OrderedDict[tuple[str, int], _PointState] = OrderedDict()


def _base(ref: str) -> Scenario:
    if ref not in _BASES:
        from titr.model import load

        _BASES.clear()
        _BASES[ref] = load(ref)
    return _BASES[ref]


def _prepare(task: PointTask) -> _PointState:
    from titr.assign import assess
    from titr.sim.build import build_plan
    from titr.sim.scenario import assigned_year, routes_of

    base = _base(task.scenario)
    sc = base.with_overrides(dict(task.overrides)) if task.overrides else base
    wanted = list(task.outputs)
    assessment: dict[int, list[Output]] = {}
    if any(o in ASSESSMENT for o in wanted):
        totals = assess(sc, list(task.years)).totals
        for row in totals.to_dict("records"):
            year = int(row["year"])
            assessment[year] = assessment_outputs(row, year, wanted)
    plans: dict[int, Plan] = {}
    if any(o in SIMULATION for o in wanted):
        for year in task.years:
            outcome = assigned_year(sc, year)
            plans[year] = build_plan(outcome.network, routes_of(outcome))
    return _PointState(assessment, plans)


def point_state(task: PointTask) -> _PointState:
    """The assessment and plans of a point, built once per process (a few points kept)."""
    key = (task.key, task.point)
    state = _STATES.get(key)
    if state is None:
        state = _prepare(task)
        _STATES[key] = state
        while len(_STATES) > CACHED_POINTS:
            _STATES.popitem(last=False)
    else:
        _STATES.move_to_end(key)
    return state


def run_titr(task: PointTask, replication: int) -> list[Output]:
    """One run of the titr model: the point's assessment (cached) and one simulated
    replication of each year, from ``SeedSequence((seed, point, replication))``."""
    from titr.sim.engine import run_replication
    from titr.sim.stats import Window

    state = point_state(task)
    window = Window(task.warmup_days * 24.0, 8760.0, task.drain_days * 24.0)
    out: list[Output] = []
    for year in task.years:
        out += state.assessment.get(year, [])
        plan = state.plans.get(year)
        if plan is not None:
            raw = run_replication(plan, window, task.seed, replication, point=task.point)
            out += simulation_outputs(raw, plan, year, list(task.outputs))
    return out
