"""What runs on a worker: the runs of one design point, and the titr model behind a run.

A task is one design point and a few of its replications (:class:`Chunk`); it carries only
small inputs (the fingerprint of the shipped scenario, see :mod:`titr.experiments.payload`,
and the point's ``--set`` overrides), never a path or a network. A point's assessment and
simulation plans (:class:`PointState`) are built once by :func:`prepare_point`, in a task of
their own, and handed to every task of the point's replications; a worker keeps the last few.

The run function is pluggable: any top-level (picklable) ``fn(point, replication) -> outputs``
works; ``run_titr`` is the real model. Run ``r`` of point ``p`` draws its random numbers from
``SeedSequence((seed, p, r))``, so every executor gives the same numbers.
"""

from __future__ import annotations

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
from titr.experiments.payload import ScenarioPayload, install, installed, worker_name
from titr.experiments.spec import Value
from titr.model import TitrError
from titr.model.errors import Problem
from titr.model.units import HOURS_PER_DAY, HOURS_PER_YEAR
from titr.sim.plan import Plan

CACHED_POINTS = 4


@dataclass(frozen=True)
class PointTask:
    """Everything a run function needs about one design point (small, picklable)."""

    key: str  # the experiment's fingerprint (the workers' cache key)
    point: int
    values: dict[str, Value]  # design values by parameter label
    overrides: dict[str, Value]  # the concrete --set overrides
    scenario_digest: str  # the fingerprint of the shipped base scenario
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


def execute(fn: RunFunction, chunk: Chunk, state: PointState | None = None,
            payload: ScenarioPayload | None = None) -> list[RunRecord]:
    """Run a chunk's replications one after the other (the function shipped to workers),
    with the point's prepared state if there is one (and the scenario, if not yet here)."""
    worker = worker_name()
    task = chunk.task
    if payload is not None:
        install(payload)
    if state is not None:
        remember(task, state)
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
class PointState:
    """A point's assessment outputs and simulation plans, by year (small, picklable)."""

    assessment: dict[int, list[Output]]
    plans: dict[int, Plan]


_STATES: OrderedDict[tuple[str, int], PointState] = OrderedDict()


def prepare_point(task: PointTask, payload: ScenarioPayload | None = None) -> PointState:
    """Assess the point's scenario and build its simulation plans (once per point)."""
    from titr.assign import assess
    from titr.sim.build import build_plan
    from titr.studies.scenario_year import assigned_year, routes_of

    base = install(payload) if payload is not None else installed(task.scenario_digest)
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
    return PointState(assessment, plans)


def remember(task: PointTask, state: PointState) -> None:
    """Keep a point's state in this process (the last :data:`CACHED_POINTS`)."""
    key = (task.key, task.point)
    _STATES[key] = state
    _STATES.move_to_end(key)
    while len(_STATES) > CACHED_POINTS:
        _STATES.popitem(last=False)


def point_state(task: PointTask) -> PointState:
    """The point's state: the one handed to this process, else prepared here."""
    state = _STATES.get((task.key, task.point))
    if state is None:
        state = prepare_point(task)
    remember(task, state)
    return state


def run_titr(task: PointTask, replication: int) -> list[Output]:
    """One run of the titr model: the point's assessment (cached) and one simulated
    replication of each year, from ``SeedSequence((seed, point, replication))``."""
    from titr.sim.engine import run_replication
    from titr.sim.stats import Window

    state = point_state(task)
    window = Window(task.warmup_days * HOURS_PER_DAY, HOURS_PER_YEAR,
                    task.drain_days * HOURS_PER_DAY)
    out: list[Output] = []
    for year in task.years:
        out += state.assessment.get(year, [])
        plan = state.plans.get(year)
        if plan is not None:
            raw = run_replication(plan, window, task.seed, replication, point=task.point)
            out += simulation_outputs(raw, plan, year, list(task.outputs))
    return out
