"""The assessment: assign every year of a scenario and gather the tables."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from titr.assign import describe, tables
from titr.assign.candidates import focus_group
from titr.assign.observe import calibration_rows
from titr.assign.results import TABLES, AssessmentResult
from titr.assign.year import Options, Prepared, YearOutcome, assign_year
from titr.model import cargo as cargo_units
from titr.model.demand import demand_rows
from titr.model.errors import fail
from titr.model.scenario import Scenario


def _frame(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    return TABLES[name].frame(rows)


def assess(sc: Scenario, years: Iterable[int] | None = None,
           waits: dict[int, dict[str, float]] | None = None,
           options: Options | None = None) -> AssessmentResult:
    """Assign each year; ``waits`` (year → service → hours) fixes the waits for a vessel,
    e.g. simulated ones, instead of the queueing approximation."""
    options = options or Options()
    years = list(years) if years is not None else list(sc.years)
    for y in years:
        if y not in sc.years:
            raise fail(f"year {y} is outside the horizon", where="years",
                       fix=f"use {sc.first_year}–{sc.last_year}")
    t0 = time.perf_counter()
    outs: list[YearOutcome] = []
    cache: dict[tuple[tuple[str, ...], bool], Prepared] = {}
    for y in years:
        net = sc.network(y)
        rows = demand_rows(sc.demand, net.cargo, y, sc.parameters.market_scale.to("1"))
        opts = Options(options.max_iterations, options.tolerance,
                       (waits or {}).get(y, options.waits), options.closed, options.shift)
        # the same projects open: the same network, paths and LP
        key = (net.projects_open, opts.waits is None)
        out = assign_year(net, rows, opts, cache.get(key))
        if out.prepared is not None:
            cache[key] = out.prepared
        outs.append(out)
    collected: dict[str, list[dict[str, Any]]] = {n: [] for n in TABLES}
    ids = sc.focus_ids()
    for out in outs:
        year_rows = {"flows": tables.flow_rows(out), "utilisation": tables.utilisation_rows(out),
                     "demand": tables.demand_rows_out(out), "shares": tables.share_rows(out),
                     "corridors": tables.corridor_rows(out),
                     "unserved": tables.unserved_rows(out)}
        for name, table_rows in year_rows.items():
            collected[name] += table_rows
        collected["totals"].append(_totals(out, year_rows, ids))
    frames = {n: _frame(r, n) for n, r in collected.items()}
    frames["groups"] = _frame(group_rows(sc, frames["shares"], frames["totals"]), "groups")
    frames["calibration"] = _frame(calibration_rows(sc, outs, frames), "calibration")
    frames["nodes"] = _frame(describe.node_rows(sc), "nodes")
    frames["edges"] = _frame(describe.edge_rows(sc), "edges")
    frames["projects"] = _frame(describe.project_rows(sc), "projects")
    frames["sources"] = _frame(describe.source_rows(sc), "sources")
    frames["events"] = _frame(describe.event_rows(sc), "events")
    meta = {"years": years, "seconds": time.perf_counter() - t0,
            "lp_build_s": sum(o.build_s for o in outs), "lp_solve_s": sum(o.solve_s for o in outs),
            "parameters": {k: v["value"] for k, v in sc.parameters.model_dump().items()},
            "projects": [p.id for p in sc.projects], "waits": "simulated" if waits else "queueing"}
    return AssessmentResult(sc.id, meta=meta, **frames)


def group_rows(sc: Scenario, shares: pd.DataFrame,
               totals: pd.DataFrame) -> list[dict[str, Any]]:
    """Each corridor group's share of the contestable pool, a year at a time, with the
    change from the year before and the events in force (which may explain a jump)."""
    s = shares[shares.kind == "contestable"]
    if s.empty:
        return []
    group_of = {c.id: c.group for c in sc.corridors}
    s = s.assign(group=s.corridor.map(group_of).fillna("other"))
    pool = s.groupby("year").tonnes.sum()
    events = dict(zip(totals.year, totals.events, strict=True))
    rows: list[dict[str, Any]] = []
    last: dict[str, float] = {}
    groups = sorted(set(group_of.values()))
    for year, part in s.groupby("year"):
        by_group = part.groupby("group")[["tonnes", "teu"]].sum()
        for g in groups:
            t = float(by_group.tonnes.get(g, 0.0))
            share = t / float(pool[year]) if pool[year] else 0.0
            rows.append({"year": year, "group": g, "tonnes": t,
                         "teu": float(by_group.teu.get(g, 0.0)), "share": share,
                         "change_points": 100 * (share - last[g]) if g in last else 0.0,
                         "events": events.get(year, "")})
            last[g] = share
    return rows


def _weighted_median(values: list[float], weights: list[float]) -> float:
    if not values:
        return float("nan")
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, 0.5 * cum[-1])])


def _totals(out: YearOutcome, rows: dict[str, list[dict[str, Any]]],
            ids: set[str]) -> dict[str, Any]:
    on = [r for r in rows["flows"] if r["element"] in ids]
    # the bottleneck: the capacity whose next tonne is worth most (at its limit, or congested)
    binding = sorted((r for r in rows["utilisation"] if r["shadow_usd_per_t"] > 0),
                     key=lambda r: -r["shadow_usd_per_t"])
    contest = [r for r in rows["demand"] if r["kind"] == "contestable"]
    contest_t = sum(r["demand_t"] for r in contest)
    cost = co2 = gen = 0.0
    days, weights = [], []
    kinds = {cm.demand.id: cm.demand.kind for cm in out.commodities}
    focus = focus_group(out.network)
    prm = out.network.parameters
    carbon, vot_scale = prm.co2_price.to("USD/tCO2"), prm.vot_scale.to("1")
    for p, x, did, _ in tables.carried_paths(out):
        cost += x * p.usd
        co2 += x * p.co2
        cargo = out.network.cargo[p.cargo]
        vot = cargo_units.per_tonne(cargo.value_of_time, cargo) * vot_scale
        gen += x * (p.usd + vot * tables.path_hours(p, out) + carbon * p.co2)
        c = out.network.corridors.get(p.corridor or "")
        if c is not None and c.group == focus and kinds[did] == "contestable":
            days.append(tables.path_hours(p, out) / 24.0)
            weights.append(x)
    return {
        "year": out.network.year, "focus_t": sum(r["tonnes"] for r in on),
        "focus_teu": sum(r["teu"] or 0.0 for r in on),
        "focus_share": sum(r["focus_group_t"] for r in contest) / contest_t if contest_t else 0.0,
        "unserved_t": sum(r["unserved_t"] for r in rows["demand"]),
        "unserved_cost_usd": sum(r["cost_usd"] for r in rows["unserved"]),
        "diverted_t": sum(r["diverted_t"] for r in rows["demand"]),
        "cost_usd": cost, "co2_t": co2,
        "gen_cost_usd": gen + sum(r["cost_usd"] for r in rows["unserved"]),
        "bottleneck": binding[0]["label"] if binding else "",
        "bottleneck_usd_per_t": binding[0]["shadow_usd_per_t"] if binding else 0.0,
        "focus_days": _weighted_median(days, weights),
        "gap": out.gap, "iterations": out.iterations,
        "events": ", ".join(out.network.events),
    }
