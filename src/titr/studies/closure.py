"""A temporary closure of a corridor (e.g. 30 days of the Northern route) and what it does.

Strategically, the year is two regimes: open, and closed, when the closed corridor's cargo
re-splits among the others (the assignment with that corridor's paths removed). Operationally,
the simulation runs the open year's flows with the closed corridor's arrivals stopped during
the closure, plus the extra flows the closed regime sends elsewhere, arriving only then — so
the queues at the ports and borders see the surge and its aftermath.

Closures are whole months (a 30-day closure is one month), as the simulation's arrival rates
vary by month.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from titr.assign.year import Options, YearOutcome, assign_year
from titr.assign.year_tables import carried_paths, demand_rows_out
from titr.model.columns import spec
from titr.model.demand import demand_rows
from titr.model.errors import fail
from titr.model.overview import Overviewed, number, table_sizes
from titr.model.scenario import Scenario
from titr.model.units import DAYS_PER_MONTH, DAYS_PER_YEAR, HOURS_PER_DAY
from titr.sim.calendar import MONTH_START_H
from titr.sim.from_paths import path_ids, routes_from_flows
from titr.sim.results import SimResult
from titr.sim.run import simulate_routes
from titr.sim.stages import Route
from titr.studies.scenario_year import assigned_year, routes_of

VOLUMES, KPIS, WAITS = (spec(f"closure.{n}") for n in ("volumes", "kpis", "waits"))

@dataclass(repr=False)
class ClosureResult(Overviewed):
    """What :func:`closure_effect` found: tonnes a day by corridor open vs closed and the
    change over the year (``volumes``; ``volumes.attrs["extra_unserved_t"]``), door-to-door
    days of the units that entered during the closure and the rest of the year (``kpis``;
    ``units`` add up all replications), the waits for a vessel by period (``waits``), and the
    simulation itself."""

    corridor: str
    year: int
    months: tuple[int, ...]  # 1 = January
    volumes: pd.DataFrame  # corridor, open_t_per_day, closed_t_per_day, annual_change_t
    kpis: pd.DataFrame  # corridor, cargo, period, units (a replication's), median, p90 days
    waits: pd.DataFrame  # corridor, period, mean and p90 days waiting for a vessel
    simulation: SimResult

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        return "ClosureResult", self.corridor, {
            "closed": f"{self.year}, months {', '.join(map(str, self.months))}",
            "extra unserved": f"{number(self.volumes.attrs.get('extra_unserved_t', 0.0))} t",
            "tables": table_sizes({"volumes": self.volumes, "kpis": self.kpis,
                                   "waits": self.waits}),
            "simulation": f"{self.simulation.replications} replication(s)"}


def _corridor_rates(out: YearOutcome) -> dict[str, float]:
    rates: dict[str, float] = {}
    for p, x, _, _ in carried_paths(out):
        key = p.corridor or "other"
        rates[key] = rates.get(key, 0.0) + x / DAYS_PER_YEAR
    return rates


def _surge_routes(normal: YearOutcome, closed: YearOutcome, month: int) -> list[Route]:
    """The extra flows the closed regime sends along each path, arriving in ``month`` only."""
    before: dict[tuple[tuple[str, ...], str], float] = {}
    for p, x, _, _ in carried_paths(normal):
        before[(p.edges, p.cargo)] = before.get((p.edges, p.cargo), 0.0) + x
    flows = []
    for k, (p, x, did, _) in enumerate(carried_paths(closed)):
        extra = x - before.get((p.edges, p.cargo), 0.0)
        before[(p.edges, p.cargo)] = max(0.0, before.get((p.edges, p.cargo), 0.0) - x)
        if extra > 1e-6:
            # a month's worth at the closed regime's rate: the route's annual volume is a month
            # of it, all arriving in the closed month (factor 12 there, 0 elsewhere)
            flows.append((path_ids(p.nodes, p.edges), extra / 12.0, p.cargo,
                          p.corridor or "other", f"surge/{did}/{k}"))
    season = tuple(12.0 if m == month else 0.0 for m in range(1, 13))
    return [replace(r, seasonality=season) for r in routes_from_flows(closed.network, flows)]


def closure_effect(sc: Scenario, year: int, corridor: str = "northern", days: float = 30,
                   start_month: int = 3, replications: int = 10,
                   seed: int | None = None) -> ClosureResult:
    """Assess and simulate ``year`` with ``corridor`` closed for ``days`` from ``start_month``."""
    ids = {c.id for c in sc.corridors} | {c.group for c in sc.corridors}
    if corridor not in ids:
        raise fail(f"unknown corridor {corridor!r}", where="--corridor",
                   fix=f"use one of: {', '.join(sorted(ids))}")
    months_n = round(days / DAYS_PER_MONTH)
    if not 1 <= months_n <= 11 or not 1 <= start_month <= 12:
        raise fail(f"a closure of {days:g} days from month {start_month} cannot be simulated",
                   where="--days", fix="close for 30 to 335 days, starting in month 1–12")
    months = tuple((start_month - 1 + i) % 12 + 1 for i in range(months_n))
    normal = assigned_year(sc, year)
    net = normal.network
    rows = demand_rows(sc.demand, net.cargo, year, sc.parameters.market_scale.to("1"))
    shut = assign_year(net, rows, Options(closed=(corridor,)))
    share = months_n / 12.0
    open_rate, closed_rate = _corridor_rates(normal), _corridor_rates(shut)
    volumes = pd.DataFrame([
        {"corridor": c, "open_t_per_day": open_rate.get(c, 0.0),
         "closed_t_per_day": closed_rate.get(c, 0.0),
         "annual_change_t": share * DAYS_PER_YEAR * (closed_rate.get(c, 0.0)
                                                     - open_rate.get(c, 0.0))}
        for c in sorted(set(open_rate) | set(closed_rate))])
    unserved = sum(r["unserved_t"] for r in demand_rows_out(shut)) - sum(
        r["unserved_t"] for r in demand_rows_out(normal))
    volumes.attrs["extra_unserved_t"] = share * unserved

    stop = tuple(0.0 if m in months else 1.0 for m in range(1, 13))
    shut_ids = {c.id for c in sc.corridors if c.id == corridor or c.group == corridor}
    routes = [replace(r, seasonality=stop) if r.corridor in shut_ids else r
              for r in routes_of(normal)]
    for m in months:
        routes += [replace(r, id=f"{r.id}/m{m}") for r in _surge_routes(normal, shut, m)]
    res = simulate_routes(net, routes, replications, sc.seed if seed is None else seed)
    kpis, waits = _by_period(res, months)
    return ClosureResult(corridor, year, months, VOLUMES.conform(volumes, fill=True),
                         KPIS.conform(_per_replication(kpis, replications), fill=True),
                         WAITS.conform(waits, fill=True), res)


def _by_period(res: SimResult, months: tuple[int, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    u = res.units[res.units.done & (res.units.enter_day >= 0)
                  & (res.units.enter_day < DAYS_PER_YEAR)]
    # calendar months, as the simulation's arrival rates use them
    month = np.searchsorted(MONTH_START_H, u.enter_day.to_numpy() * HOURS_PER_DAY, side="right")
    u = u.assign(period=np.where(np.isin(month, months), "closure", "rest of year"),
                 days=u.total_h / HOURS_PER_DAY, wait_days=u.vessel_wait_h / HOURS_PER_DAY)
    kpis = pd.DataFrame([{"corridor": c, "cargo": g, "period": p, **_stats(part)}
                         for (c, g, p), part in u.groupby(["corridor", "cargo", "period"])])
    waits = (u[u.vessel_wait_h > 0].groupby(["corridor", "period"])
             .wait_days.agg(mean="mean", p90=lambda s: s.quantile(0.9)).reset_index())
    return kpis, waits


def _stats(g: pd.DataFrame) -> dict[str, float]:
    """Units, and the unit-weighted median and p90 of door-to-door days."""
    w = g.units.to_numpy(dtype=float)
    order = np.argsort(g.days.to_numpy())
    d, cum = g.days.to_numpy()[order], np.cumsum(w[order])

    def q(p: float) -> float:
        return float(d[np.searchsorted(cum, p * cum[-1])]) if cum.size else float("nan")

    return {"units": float(w.sum()), "median_days": q(0.5), "p90_days": q(0.9)}


def _per_replication(kpis: pd.DataFrame, replications: int) -> pd.DataFrame:
    """Units a year (the mean over replications), not their sum."""
    return kpis.assign(units=kpis.units / replications) if len(kpis) else kpis
