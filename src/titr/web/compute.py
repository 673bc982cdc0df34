"""The work behind the API, run in worker processes: assessments, report data, simulation and
sweep jobs. Everything here takes and returns plain picklable values; bad input raises
:class:`Failed` (a picklable list of problems) instead of ``TitrError``.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from titr.assign import AssessmentResult, assess
from titr.model import Scenario, TitrError
from titr.model.columns import spec
from titr.model.errors import Problem
from titr.report.extras import Extras, extras_from_scenario, save_extras
from titr.report.page_data import records, report_data
from titr.web.levers import apply_levers
from titr.web.schemas import (
    JOB_TABLES,
    AssessmentRequest,
    Levers,
    SimulationRequest,
    SweepRequest,
)
from titr.web.served import adopt, open_scenario
from titr.web.tidy import leaves_no_trace, settle

Progress = Callable[[float, str], None]
T = TypeVar("T")
VOLUMES = spec("dashboard.volumes")  # a run's volumes by year and corridor
MAX_BASES = 8
_bases: OrderedDict[str, Scenario] = OrderedDict()
_bases_lock = threading.Lock()


class Failed(Exception):
    """Bad input found in a worker: ``args[0]`` is a list of {field, message, fix}."""

    @property
    def problems(self) -> list[dict[str, str]]:
        problems: list[dict[str, str]] = self.args[0]
        return problems


def problems_of(e: TitrError) -> list[dict[str, str]]:
    return [{"field": p.where or "request", "message": p.what, "fix": p.fix}
            for p in e.problems]


def reraise(e: TitrError) -> Failed:
    return Failed(problems_of(e))


def base_scenario(name: str) -> Scenario:
    """A scenario the server offers, by name (built in, or a file its operator served),
    loaded once per process (the last :data:`MAX_BASES` kept)."""
    with _bases_lock:
        sc = _bases.get(name)
        if sc is not None:
            _bases.move_to_end(name)
            return sc
    sc = open_scenario(name)
    with _bases_lock:
        sc = _bases.setdefault(name, sc)  # two threads may load it at once: keep one
        while len(_bases) > MAX_BASES:
            _bases.popitem(last=False)
    return sc


def pooled(fn: Callable[..., T], *args: Any) -> T:
    """Run a task in a pool worker, leaving the worker as it found it (see
    :mod:`titr.web.tidy`): what the task adds to the loaded scenarios' caches is dropped."""
    with _bases_lock:
        bases = list(_bases.values())
    with leaves_no_trace(bases):
        return fn(*args)


def warm(name: str) -> None:
    """Load and assess a scenario and load the country shapes in this worker, so its first
    request is quick and a what-if re-solves only the years its levers touch."""
    from titr.report.geo import country_ids

    assess(base_scenario(name))
    country_ids([(51.2, 43.6)])
    settle()  # kept for the worker's life: set aside from the garbage collector


def ready() -> None:
    """A task that does nothing: given to a new pool, it makes the pool start a worker
    (which warms up in :func:`worker_start`)."""


def worker_start(server: int, warm_name: str | None = None,
                 files: dict[str, str] | None = None) -> None:
    """A pool process starts: it ends with the ``server`` process (its parent is the fork
    server, which lives as long as its children); it offers the server's scenario ``files``
    and loads ``warm_name`` if given."""
    from titr.procs import exit_with

    exit_with(server)
    adopt(files or {})
    if warm_name is not None:
        with contextlib.suppress(TitrError):  # reported when a request uses it
            warm(warm_name)


def scenario_for(name: str, levers: Levers) -> Scenario:
    return apply_levers(base_scenario(name), levers)


def check_year(sc: Scenario, year: int, field: str = "year") -> int:
    if year not in sc.years:
        raise TitrError(Problem("", field, f"{year} is outside the horizon of {sc.id}",
                                f"use a year from {sc.first_year} to {sc.last_year}"))
    return year


def years_of(sc: Scenario, first: int | None, last: int | None) -> list[int]:
    a = sc.first_year if first is None else first
    b = sc.last_year if last is None else last
    check_year(sc, a, "first_year")
    check_year(sc, b, "last_year")
    if b < a:
        raise TitrError(Problem("", "last_year", f"{b} is before first_year {a}",
                                "swap them"))
    return list(range(a, b + 1))


@dataclass
class Assessed:
    res: AssessmentResult
    extras: Extras
    years: list[int]
    seconds: float
    totals: list[dict[str, Any]]  # the response's tables, made in the worker
    volumes: list[dict[str, Any]]


def volumes_of(res: AssessmentResult) -> pd.DataFrame:
    """Tonnes and TEU by year and corridor."""
    s = res.shares
    return VOLUMES.conform(s.assign(teu=s.teu.fillna(0)).groupby(
        ["year", "corridor"], as_index=False)[["tonnes", "teu"]].sum())


def assess_task(request: dict[str, Any]) -> Assessed:
    """An assessment request (as a dict) → its result, with the report's scenario facts."""
    req = AssessmentRequest.model_validate(request)
    t0 = time.perf_counter()
    try:
        sc = scenario_for(req.scenario, req.levers)
        years = years_of(sc, req.first_year, req.last_year)
        # a what-if solves only the years its levers touch (see titr.assign.assess)
        res = assess(sc, years, base=base_scenario(req.scenario))
        extras = extras_from_scenario(sc)
    except TitrError as e:
        raise reraise(e) from None
    return Assessed(res, extras, years, time.perf_counter() - t0, records(res.totals),
                    records(volumes_of(res)))


def blob_task(res: AssessmentResult, extras: Extras) -> str:
    """The report's data blob of one run, as JSON text."""
    return json.dumps(report_data([(res, extras)]), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def duckdb_task(request: dict[str, Any], res: AssessmentResult, path: str) -> None:
    """Write a run's results database (with the scenario facts the report needs)."""
    req = AssessmentRequest.model_validate(request)
    try:
        sc = scenario_for(req.scenario, req.levers)
    except TitrError as e:
        raise reraise(e) from None
    res.save(path)
    save_extras(path, sc)


SWEEP_POINTS = JOB_TABLES["points"]  # the lever's value, then the totals


# ---- background jobs -------------------------------------------------------------------------
def kpi_table(kpis: pd.DataFrame) -> pd.DataFrame:
    """The simulation's long KPI table → one row per corridor and cargo, with 95 % CIs."""
    rows = []
    for (corridor, cargo), g in kpis.groupby(["corridor", "cargo"], sort=False):
        m = g.set_index("metric")
        if "median_days" not in m.index or math.isnan(float(m.loc["median_days", "mean"])):  # type: ignore[arg-type]
            continue

        def get(metric: str, col: str = "mean", m: pd.DataFrame = m) -> float:
            return float(m.loc[metric, col]) if metric in m.index else float("nan")  # type: ignore[arg-type]

        rows.append([corridor, cargo, get("units"), get("median_days"),
                     get("median_days", "ci_low"), get("median_days", "ci_high"),
                     get("p90_days"), get("p90_days", "ci_low"), get("p90_days", "ci_high"),
                     get("vessel_wait_days"), get("border_days")])
    return JOB_TABLES["kpis"].frame(dict(zip(JOB_TABLES["kpis"].names, r, strict=True))
                                    for r in rows)


def simulation_job(request: dict[str, Any], progress: Progress) -> dict[str, pd.DataFrame]:
    """``titr.simulate`` of one year, reporting each replication as it finishes."""
    from titr.sim import Window, build_plan, simulate_plan
    from titr.studies.scenario_year import assigned_year, routes_of

    req = SimulationRequest.model_validate(request)
    try:
        sc = scenario_for(req.scenario, req.levers)
        check_year(sc, req.year)
        progress(0.02, f"assigning {req.year}")
        outcome = assigned_year(sc, req.year)
    except TitrError as e:
        raise reraise(e) from None
    plan = build_plan(outcome.network, routes_of(outcome))
    n = req.replications

    def tick(r: int) -> dict[Hashable, Any]:  # called as replication r starts; changes nothing
        progress(0.05 + 0.95 * r / n, f"replication {r + 1} of {n}")
        return {}

    seed = sc.seed if req.seed is None else req.seed
    # Window(): titr.simulate's defaults (30 days' warm-up, the year, 90 days to finish)
    res = simulate_plan(plan, n, seed, Window(), keep_units=False, fixed=tick)
    progress(1.0, f"{n} replications, seed {seed}")
    waits = res.port_waits.pivot_table(index=["service", "direction", "port"],
                                       columns="metric", values="mean").reset_index()
    waits.columns.name = None
    return {"kpis": kpi_table(res.kpis), "port_waits": JOB_TABLES["port_waits"].conform(
        waits, fill=True), "kpis_long": res.kpis, "cpmm": res.cpmm}




def sweep_job(request: dict[str, Any], progress: Progress) -> dict[str, pd.DataFrame]:
    """One assessment per value of the varied lever; the totals of each, stacked."""
    req = SweepRequest.model_validate(request)
    frames = []
    n = len(req.values)
    for i, v in enumerate(req.values):
        progress(i / n, f"{req.vary} = {v:g} ({i + 1} of {n})")
        levers = req.levers.varied(req.vary, v)
        try:
            sc = scenario_for(req.scenario, levers)
            res = assess(sc, years_of(sc, req.first_year, req.last_year),
                         base=base_scenario(req.scenario))  # what a value leaves alone is reused
        except TitrError as e:
            raise reraise(e) from None
        frames.append(res.totals.assign(value=v))
    progress(1.0, f"{n} assessments")
    return {"points": SWEEP_POINTS.conform(pd.concat(frames, ignore_index=True))}


JOBS: dict[str, Callable[[dict[str, Any], Progress], dict[str, pd.DataFrame]]] = {
    "simulation": simulation_job, "sweep": sweep_job}


def job_main(kind: str, request: dict[str, Any], conn: Any) -> None:
    """A job process: messages ("progress", fraction, text), then ("done", tables) or
    ("failed", problems) on ``conn``."""
    try:
        tables = JOBS[kind](request, lambda f, m: conn.send(("progress", f, m)))
        conn.send(("done", tables))
    except Failed as e:
        conn.send(("failed", e.problems))
    except Exception as e:  # a bug, not bad input: still reported, never swallowed
        conn.send(("failed", [{"field": "", "message": f"internal error: {type(e).__name__}: "
                               f"{e}", "fix": "report it with the request that caused it"}]))
    finally:
        conn.close()
