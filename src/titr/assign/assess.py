"""The assessment: assign every year of a scenario and gather the tables."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from titr.assign import describe, tables
from titr.assign.candidates import INTERNAL_GROUP
from titr.assign.results import TABLES, AssessmentResult
from titr.assign.year import Options, Prepared, YearOutcome, assign_year
from titr.model import units
from titr.model.demand import demand_rows
from titr.model.errors import fail
from titr.model.figures import Figure
from titr.model.scenario import Observation, Scenario
from titr.routing.table import route_table


def caspian_ids(sc: Scenario) -> set[str]:
    """The elements whose flow is "the corridor's tonnage": the ``via`` of the tonnage
    observations, or else every sea service."""
    ids = {v for o in sc.observed if o.quantity in ("tonnes", "teu") for v in o.via}
    return ids or {s.id for s in sc.sea_services}


def _frame(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(TABLES[name]))


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
                       (waits or {}).get(y, options.waits), options.closed)
        # the same projects open: the same network, paths and LP
        key = (net.projects_open, opts.waits is None)
        out = assign_year(net, rows, opts, cache.get(key))
        if out.prepared is not None:
            cache[key] = out.prepared
        outs.append(out)
    collected: dict[str, list[dict[str, Any]]] = {n: [] for n in TABLES}
    ids = caspian_ids(sc)
    for out in outs:
        year_rows = {"flows": tables.flow_rows(out), "utilisation": tables.utilisation_rows(out),
                     "demand": tables.demand_rows_out(out), "shares": tables.share_rows(out),
                     "corridors": tables.corridor_rows(out)}
        for name, table_rows in year_rows.items():
            collected[name] += table_rows
        collected["totals"].append(_totals(out, year_rows, ids))
    frames = {n: _frame(r, n) for n, r in collected.items()}
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
    cost = co2 = 0.0
    days, weights = [], []
    kinds = {cm.demand.id: cm.demand.kind for cm in out.commodities}
    for p, x, did, _ in tables.carried_paths(out):
        cost += x * p.usd
        co2 += x * p.co2
        c = out.network.corridors.get(p.corridor or "")
        if c is not None and c.group == INTERNAL_GROUP and kinds[did] == "contestable":
            days.append(tables.path_hours(p, out) / 24.0)
            weights.append(x)
    return {
        "year": out.network.year, "caspian_t": sum(r["tonnes"] for r in on),
        "caspian_teu": sum(r["teu"] or 0.0 for r in on),
        "middle_share": sum(r["middle_t"] for r in contest) / contest_t if contest_t else 0.0,
        "unserved_t": sum(r["unserved_t"] for r in rows["demand"]),
        "diverted_t": sum(r["diverted_t"] for r in rows["demand"]),
        "cost_usd": cost, "co2_t": co2,
        "bottleneck": binding[0]["label"] if binding else "",
        "bottleneck_usd_per_t": binding[0]["shadow_usd_per_t"] if binding else 0.0,
        "middle_days": _weighted_median(days, weights),
        "gap": out.gap, "iterations": out.iterations,
        "events": ", ".join(out.network.events),
    }


def _observed_value(o: Observation) -> float:
    fig: Figure = o.value
    for unit in {"tonnes": ("t", "t/yr"), "teu": ("TEU", "TEU/yr"),
                 "transit-days": ("d",)}[o.quantity]:
        if units.fits(fig.unit, unit):
            return fig.to(unit)
    raise fail(f"unit {fig.unit!r} does not fit {o.quantity}", where=f"observed[{o.id}].value",
               fix="use t, Mt, TEU or d")


def modelled_value(o: Observation, out: YearOutcome, frames: dict[str, pd.DataFrame]) -> float:
    if o.quantity == "transit-days":
        if not (o.origin and o.destination and o.corridor):
            raise fail("transit-days needs origin, destination and corridor",
                       where=f"observed[{o.id}]", fix="add them")
        waits = {a.rstrip(">"): w for a, w in out.waits.items() if not a.endswith(">")}
        df = route_table(out.network, o.origin, o.destination,
                         o.cargo[0] if o.cargo != ["*"] else "container", waits)
        hit = df[df.corridor == o.corridor]
        if not len(hit):
            return float("nan")
        queued = sum(out.waits.get(f"{kind}:{n}", 0.0) for n in hit.nodes.iloc[0].split(" → ")
                     for kind in ("border", "gauge"))
        return float(hit.days.iloc[0]) + queued / 24.0
    flows = frames["flows"]
    f = flows[(flows.year == out.network.year) & flows.element.isin(o.via)]
    if o.cargo != ["*"]:
        f = f[f.cargo.isin(o.cargo)]
    return float(f.tonnes.sum() if o.quantity == "tonnes" else f.teu.fillna(0).sum())


def calibration_rows(sc: Scenario, outs: list[YearOutcome],
                     frames: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    by_year = {o.network.year: o for o in outs}
    rows = []
    for o in sc.observed:
        if o.year not in by_year:
            continue
        observed = _observed_value(o)
        modelled = modelled_value(o, by_year[o.year], frames)
        rows.append({"year": o.year, "observation": o.id, "quantity": o.quantity,
                     "observed": observed, "modelled": modelled,
                     "error_pct": 100 * (modelled - observed) / observed if observed else np.nan,
                     "source": ", ".join(o.value.source) or "assumption"})
    return rows
