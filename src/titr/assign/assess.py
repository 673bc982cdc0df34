"""The assessment: assign every year of a scenario and gather the tables."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from titr.assign import scenario_tables, year_tables
from titr.assign.assessment_result import TABLES, AssessmentResult
from titr.assign.candidates import focus_group
from titr.assign.observe import calibration_rows
from titr.assign.year import Options, Prepared, YearOutcome, assign_year
from titr.model import cargo as cargo_units
from titr.model.demand import DemandRow, demand_rows
from titr.model.errors import fail
from titr.model.scenario import Observation, Scenario
from titr.model.units import HOURS_PER_DAY
from titr.routing.graph import cache_in


def _frame(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    return TABLES[name].frame(rows)


# tables of the scenario itself (not of a year)
_SCENARIO_TABLES = {"nodes": scenario_tables.node_rows, "edges": scenario_tables.edge_rows,
                    "projects": scenario_tables.project_rows,
                    "sources": scenario_tables.source_rows, "events": scenario_tables.event_rows}


@dataclass
class YearRecord:
    """One assessed year, kept on its scenario (see :func:`assess`): the outcome, the demand it
    was solved for and the year's table rows."""

    outcome: YearOutcome
    rows: list[DemandRow]
    focus: set[str]  # the study's focus (the totals' headline)
    observed: list[Observation]  # the year's observations (the calibration rows)
    tables: dict[str, list[dict[str, Any]]]


def _options_key(opts: Options) -> tuple[Any, ...]:
    return (opts.max_iterations, opts.tolerance,
            None if opts.waits is None else tuple(sorted(opts.waits.items())), opts.closed,
            None if opts.shift is None else tuple(sorted(opts.shift.items())))


def assess(sc: Scenario, years: Iterable[int] | None = None,
           waits: dict[int, dict[str, float]] | None = None,
           options: Options | None = None, base: Scenario | None = None) -> AssessmentResult:
    """Assign each year; ``waits`` (year → service → hours) fixes the waits for a vessel,
    e.g. simulated ones, instead of the queueing approximation.

    Assessed years are kept on the scenario. ``base`` (for a what-if: the scenario this one was
    derived from) lends its assessed years: a year whose network, demand and options are the
    same as the base's is taken from it, and only the years the change touches are solved,
    with the base's legs, graphs and path sets (by content) — the same answer as solving every
    year afresh."""
    with _earlier_objects_frozen() as keep:
        return _assess(sc, years, waits, options, base, keep)


@contextmanager
def _earlier_objects_frozen() -> Iterator[Callable[[], None]]:
    """Objects alive before the assessment (the scenario's, earlier results') set aside from
    Python's cyclic garbage collector while it runs (``gc.freeze``): its automatic full
    collections walked all of them again and again, ~20 % of a horizon's CPU time and more
    with more alive; what the assessment makes is still collected as usual. The callable
    yielded sets aside, in the same way, what the assessment has kept so far (each assessed
    year: it makes no reference cycles, so this is never garbage the collector could find,
    only objects its older generations would walk again year after year). A caller that froze
    objects itself (a server before forking) or paused the collector keeps its arrangement."""
    if not gc.isenabled() or gc.get_freeze_count():  # (the count walks the frozen objects)
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _assess(sc: Scenario, years: Iterable[int] | None,
            waits: dict[int, dict[str, float]] | None, options: Options | None,
            base: Scenario | None, keep: Callable[[], None]) -> AssessmentResult:
    options = options or Options()
    years = list(years) if years is not None else list(sc.years)
    for y in years:
        if y not in sc.years:
            raise fail(f"year {y} is outside the horizon", where="years",
                       fix=f"use {sc.first_year}–{sc.last_year}")
    t0 = time.perf_counter()
    kept: dict[tuple[Any, ...], YearRecord] = sc.memo("assessed years", dict)
    lent: dict[tuple[Any, ...], YearRecord] = kept
    if base is not None and base is not sc:
        lent = base.memo("assessed years", dict)
        cache_in(base.shared_cache())
        sc.share_cache(base, "routing")
        sc.share_cache(base, "segment waits")  # kept by content too (see queue_waits)
        sc.share_cache(base, "flow tonnes")  # by the figures' objects (see resources)
    records: list[YearRecord] = []
    prepared: dict[tuple[tuple[str, ...], bool], Prepared] = {}
    ids = sc.focus_ids()
    for y in years:
        net = sc.network(y)
        rows = demand_rows(sc.demand, net.cargo, y, sc.parameters.market_scale.to("1"))
        opts = Options(options.max_iterations, options.tolerance,
                       (waits or {}).get(y, options.waits), options.closed, options.shift)
        key = (y, _options_key(opts))
        rec = lent.get(key)
        observed = [o for o in sc.observed if o.year == y]
        if rec is None or rec.rows != rows or rec.focus != ids or rec.observed != observed \
                or rec.outcome.network != net:
            # the same projects open: the same network, paths and LP
            pkey = (net.projects_open, opts.waits is None)
            out = assign_year(net, rows, opts, prepared.get(pkey))
            if out.prepared is not None:
                prepared[pkey] = out.prepared
            rec = YearRecord(out, rows, ids, observed, _year_tables(out, ids, observed))
        kept[key] = rec
        records.append(rec)
        keep()  # what the year keeps: set aside from later collections
    outs = [r.outcome for r in records]
    collected: dict[str, list[dict[str, Any]]] = {
        n: [] for n in TABLES if n not in _SCENARIO_TABLES}
    for rec in records:
        for name, table_rows in rec.tables.items():
            collected[name] += table_rows
    order = {o.id: i for i, o in enumerate(sc.observed)}  # the scenario's order
    collected["calibration"].sort(key=lambda r: order[r["observation"]])
    collected["groups"] = group_rows(sc, collected["shares"], collected["totals"])
    frames = {n: _frame(r, n) for n, r in collected.items()}
    frames.update((n, _frame(rows(sc), n)) for n, rows in _SCENARIO_TABLES.items())
    meta = {"years": years, "seconds": time.perf_counter() - t0,
            "lp_build_s": sum(o.build_s for o in outs), "lp_solve_s": sum(o.solve_s for o in outs),
            "parameters": {k: v["value"] for k, v in sc.parameters.model_dump().items()},
            "projects": [p.id for p in sc.projects], "waits": "simulated" if waits else "queueing",
            # every round of route choice: [year, iteration, gap, step, LP cost in USD]
            "convergence": [[o.network.year, *r] for o in outs for r in o.convergence]}
    return AssessmentResult(sc.id, meta=meta, **frames)


def _year_tables(out: YearOutcome, ids: set[str],
                 observed: list[Observation]) -> dict[str, list[dict[str, Any]]]:
    year_rows = {"flows": year_tables.flow_rows(out),
                 "utilisation": year_tables.utilisation_rows(out),
                 "demand": year_tables.demand_rows_out(out),
                 "shares": year_tables.share_rows(out),
                 "corridors": year_tables.corridor_rows(out),
                 "unserved": year_tables.unserved_rows(out)}
    year_rows["totals"] = [_totals(out, year_rows, ids)]
    year_rows["calibration"] = calibration_rows(observed, out, year_rows["flows"])
    return year_rows


def group_rows(sc: Scenario, shares: list[dict[str, Any]],
               totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each corridor group's share of the contestable pool, a year at a time, with the
    change from the year before and the events in force (which may explain a jump)."""
    group_of = {c.id: c.group for c in sc.corridors}
    contested = {group_of.get(r["corridor"], "other") for r in shares
                 if r["kind"] == "contestable"}
    # groups that only captive cargo uses (a country's own trade) are not in the pool's choice
    captive_only = ({group_of[r["corridor"]] for r in shares if r["corridor"] in group_of}
                    - contested - {sc.focus_group})
    groups = sorted(set(group_of.values()) - captive_only)
    events = {t["year"]: t["events"] for t in totals}
    pool: dict[int, float] = {}
    by_group: dict[tuple[int, str], list[float]] = {}
    for r in shares:
        if r["kind"] != "contestable":
            continue
        pool[r["year"]] = pool.get(r["year"], 0.0) + r["tonnes"]
        acc = by_group.setdefault((r["year"], group_of.get(r["corridor"], "other")), [0.0, 0.0])
        acc[0] += r["tonnes"]
        acc[1] += r["teu"] if r["teu"] is not None and r["teu"] == r["teu"] else 0.0
    rows: list[dict[str, Any]] = []
    last: dict[str, float] = {}
    for year in sorted(pool):
        for g in groups:
            t, teu = by_group.get((year, g), [0.0, 0.0])
            share = t / pool[year] if pool[year] else 0.0
            rows.append({"year": year, "group": g, "tonnes": t, "teu": teu, "share": share,
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
    vots: dict[str, float] = {}
    for p, x, did, _ in year_tables.carried_paths(out):
        cost += x * p.usd
        co2 += x * p.co2
        if p.cargo not in vots:
            cargo = out.network.cargo[p.cargo]
            vots[p.cargo] = cargo_units.per_tonne(cargo.value_of_time, cargo) * vot_scale
        vot = vots[p.cargo]
        gen += x * (p.usd + vot * year_tables.path_hours(p, out) + carbon * p.co2)
        c = out.network.corridors.get(p.corridor or "")
        if c is not None and c.group == focus and kinds[did] == "contestable":
            days.append(year_tables.path_hours(p, out) / HOURS_PER_DAY)
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
