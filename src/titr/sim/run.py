"""The public entry points: simulate a year of routes on a network, several replications."""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from titr.model.columns import family
from titr.model.network import Network
from titr.model.units import HOURS_PER_DAY, HOURS_PER_YEAR
from titr.sim.build import build_plan
from titr.sim.engine import run_replication
from titr.sim.plan import Plan
from titr.sim.results import KPI_METRICS, SimResult, across, cpmm, port_waits
from titr.sim.stages import Route
from titr.sim.stats import Window
from titr.sim.tables import (
    Measured,
    conservation_table,
    flow_stats,
    queue_table,
    resource_table,
    route_sums,
    sailing_table,
    unit_table,
    vessel_table,
)

SIM_TABLES = family("simulation")
Fixed = Mapping[Hashable, Any] | Callable[[int], Mapping[Hashable, Any]]


def simulate_routes(network: Network, routes: Sequence[Route], replications: int = 20,
                    seed: int = 7, warmup_days: float = 30, drain_days: float = 90,
                    keep_units: bool = True) -> SimResult:
    """Simulate one year of ``routes`` on ``network`` (the network as of a year).

    Each replication runs ``warmup_days`` before 1 January, the measured year, and up to
    ``drain_days`` after it so units that entered in the year can finish (no new units enter
    after the year). Replication ``r`` draws from ``SeedSequence((seed, r))``; the same seed
    gives the same result. ``keep_units=False`` leaves the per-unit table empty (the
    summaries are computed all the same), which saves memory for large runs.
    """
    plan = build_plan(network, routes)
    window = Window(warmup_days * HOURS_PER_DAY, HOURS_PER_YEAR, drain_days * HOURS_PER_DAY)
    return simulate_plan(plan, replications, seed, window, keep_units)


def simulate_plan(plan: Plan, replications: int = 20, seed: int = 7,
                  window: Window | None = None, keep_units: bool = True,
                  fixed: Fixed | None = None) -> SimResult:
    """Simulate a plan (see :func:`simulate_routes`). ``fixed`` replaces random inputs (see
    :class:`~titr.sim.draws.Draws`), as a mapping or a function of the replication index."""
    if replications < 1:
        raise ValueError("replications must be at least 1")
    with _earlier_objects_frozen():
        return _simulate_plan(plan, replications, seed, window or Window(), keep_units, fixed)


@contextmanager
def _earlier_objects_frozen() -> Iterator[None]:
    """Objects alive before the run (the scenario's, the plan's, earlier results) set aside
    from Python's cyclic garbage collector while it runs (``gc.freeze``): a replication makes
    ~100,000 short-lived objects (the vessel loop's events), and the full collections they set
    off walked every object of the process each time (~10 ms a replication on average with the
    built-in scenario loaded); what the run makes is still collected as usual. A caller that
    froze objects itself keeps its arrangement."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _simulate_plan(plan: Plan, replications: int, seed: int, window: Window, keep_units: bool,
                   fixed: Fixed | None) -> SimResult:
    tables: dict[str, list[pd.DataFrame]] = {k: [] for k in (
        "units", "flows", "route_flows", "conservation", "resources", "queues", "sailings",
        "vessels")}
    for r in range(replications):
        given = fixed(r) if callable(fixed) else fixed
        raw = run_replication(plan, window, seed, r, given)
        measured = Measured.of(raw)
        if keep_units:
            tables["units"].append(unit_table(raw, plan, measured))
        sums = route_sums(measured)
        tables["flows"].append(flow_stats(raw, plan, "corridor", sums=sums))
        tables["route_flows"].append(flow_stats(raw, plan, "route", sums=sums))
        tables["conservation"].append(conservation_table(raw))
        tables["resources"].append(resource_table(raw, plan))
        tables["queues"].append(queue_table(raw))
        tables["sailings"].append(sailing_table(raw, plan))
        tables["vessels"].append(vessel_table(raw, plan))
        del raw, measured, sums
    t = {k: _concat(v) for k, v in tables.items()}
    made = dict(
        units=t["units"], resources=t["resources"], queues=t["queues"],
        sailings=t["sailings"], vessels=t["vessels"],
        kpis=across(t["flows"], ["corridor", "cargo"], KPI_METRICS),
        route_kpis=across(t["route_flows"], ["route"], KPI_METRICS),
        cpmm=cpmm(t["resources"], t["flows"]), port_waits=port_waits(t["resources"]),
        conservation=t["conservation"], flow_stats=t["flows"])
    # every table as declared in the registry (titr.model.columns.simulation_columns), even empty
    return SimResult(**{k: SIM_TABLES[k].conform(v, fill=True) for k, v in made.items()},
                     replications=replications, seed=seed, window=window)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if len(frames) == 1 and isinstance(frames[0].index, pd.RangeIndex) \
            and frames[0].index.start == 0 and frames[0].index.step == 1:
        return frames[0]  # one replication: its table as it is
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def port_wait_days(network: Network, routes: Sequence[Route], replications: int = 5,
                   seed: int = 7, warmup_days: float = 30) -> pd.DataFrame:
    """Mean and p90 days units wait for a vessel, per sea service and direction.

    Columns: ``service``, ``direction``, ``port``, ``metric`` (``mean_days``, ``p90_days``),
    ``mean``, ``ci_low``, ``ci_high``, ``replications``.
    """
    res = simulate_routes(network, routes, replications, seed, warmup_days, keep_units=False)
    return res.port_waits
