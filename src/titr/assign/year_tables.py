"""Tidy tables of one year's assignment: flows, utilisation, demand, shares, corridor days."""

from __future__ import annotations

from typing import Any

import numpy as np

from titr.assign.candidates import focus_group
from titr.assign.resources import ResourceKey
from titr.assign.year import YearOutcome
from titr.model import cargo as cargo_units
from titr.model.units import HOURS_PER_DAY
from titr.routing.corridor_paths import Path

BINDING_SHARE = 0.999  # a resource at ≥ 99.9 % of capacity with a positive dual binds


def teu(tonnes: float, cargo_id: str, out: YearOutcome) -> float | None:
    key = ("t/TEU", cargo_id)
    if key not in out.derived:
        c = out.network.cargo[cargo_id]
        out.derived[key] = cargo_units.tonnes_per(c, "TEU") if "TEU" in c.per else None
    per = out.derived[key]
    return tonnes / per if per is not None else None


def diverted_into(out: YearOutcome) -> dict[int, float]:
    """Commodity → tonnes it carries for middle-corridor cargo pushed off by capacity."""
    into: dict[int, float] = {}
    for k, slack in enumerate(out.solution.slack):
        fb = out.fallback[k]
        if slack > 1e-6 and fb is not None:
            into[fb] = into.get(fb, 0.0) + float(slack)
    return into


def carried_paths(out: YearOutcome) -> list[tuple[Path, float, str, str]]:
    """(path, tonnes, demand id, commodity's alternative) for every path with flow (cargo
    diverted from the middle corridor rides its fallback's paths inside the LP); found once
    a year (do not change the list)."""
    if "carried" not in out.derived:
        rows = []
        of, comms = out.path_commodity.tolist(), out.commodities
        for j, x in enumerate(out.solution.flow.tolist()):
            if x > 1e-6:
                c = comms[of[j]]
                rows.append((out.paths[j], x, c.demand.id, c.alternative))
        out.derived["carried"] = rows
    rows_out: list[tuple[Path, float, str, str]] = out.derived["carried"]
    return rows_out


def path_hours(p: Path, out: YearOutcome) -> float:
    """Door-to-door hours with this year's waits: for a vessel (instead of the zero-flow
    wait in the path) and the queueing delay at border posts and gauge changes."""
    if "waits by place" not in out.derived:
        at = out.waits
        out.derived["waits by place"] = (
            {k.arc: w for k, w in at.items() if k.kind == "service"},
            {n: at.get(ResourceKey("border", n), 0.0) + at.get(ResourceKey("gauge", n), 0.0)
             for n in {k.element for k in at if k.kind in ("border", "gauge")}}, {})
    vessel, station, done = out.derived["waits by place"]
    if id(p) in done and done[id(p)][0] is p:
        return float(done[id(p)][1])
    hours = p.hours
    for arc, wait_hours in _vessel_legs(p, out):
        if arc in vessel:
            hours += vessel[arc] - wait_hours
    for node in p.nodes:
        if node in station:
            hours += station[node]
    done[id(p)] = (p, hours)
    return hours


def _vessel_legs(p: Path, out: YearOutcome) -> list[tuple[Any, float]]:
    """(arc, zero-flow wait) of each sea service leg of a path, in order (kept with the
    year's paths, which years of the same network share)."""
    kept = out.prepared.derived.setdefault("vessel legs", {}) if out.prepared else {}
    found = kept.get(id(p))
    if found is None or found[0] is not p:
        legs = [(arc, leg.wait_hours) for leg, arc in
                zip([lg for lg in p.legs if lg.kind != "node"], p.arcs, strict=True)
                if leg.kind == "service"]
        found = kept[id(p)] = (p, legs)
    vessel_legs: list[tuple[Any, float]] = found[1]
    return vessel_legs


def flow_rows(out: YearOutcome) -> list[dict[str, Any]]:
    acc: dict[tuple[str, str, str, str], float] = {}
    kinds = {**{s: "service" for s in out.network.services},
             **{lk: "link" for lk in out.network.links}}
    for p, x, _, _ in carried_paths(out):
        for arc in p.arcs:
            key = (arc.edge, kinds[arc.edge], "reverse" if arc.reverse else "forward", p.cargo)
            acc[key] = acc.get(key, 0.0) + x
    return [{"year": out.network.year, "element": e, "kind": k, "direction": d, "cargo": c,
             "tonnes": t, "teu": teu(t, c, out)} for (e, k, d, c), t in sorted(acc.items())]


def utilisation_rows(out: YearOutcome) -> list[dict[str, Any]]:
    rows = []
    used_t = _resource_tonnes(out)
    duals = out.solution.duals  # by resource key
    for i, r in enumerate(out.resources):
        util = float(out.solution.utilisation[i]) if len(out.solution.utilisation) else 0.0
        dual = duals.get(r.key, 0.0)
        flows = used_t.get(r.key, {})
        main = max(flows, key=lambda c: flows[c]) if flows else next(iter(r.tonnes), None)
        cap_t = r.tonnes.get(main, np.nan) if main else np.nan
        binding = util >= BINDING_SHARE and dual > 1e-6
        rows.append({
            "year": out.network.year, "resource": str(r.key), "kind": r.kind, "element": r.element,
            "label": r.label, "capacity": r.native, "main_cargo": main,
            "capacity_t": cap_t, "flow_t": sum(flows.values()), "utilisation": util,
            "binding": binding,
            "shadow_usd_per_t": dual / cap_t if dual > 1e-6 and cap_t else 0.0,
            "shadow_usd_per_year": dual if dual > 1e-6 else 0.0,
        })
    return rows


def _resource_tonnes(out: YearOutcome) -> dict[ResourceKey, dict[str, float]]:
    """Resource key → cargo class → tonnes a year through it (from the LP's usage pattern)."""
    if out.prepared is None or not out.paths:
        return {}
    kept = out.prepared.derived
    if "cargo masks" not in kept:
        kept["cargo masks"] = (
            (out.prepared.usage != 0).astype(float),
            {cargo: np.array([p.cargo == cargo for p in out.paths], dtype=float)
             for cargo in sorted({p.cargo for p in out.paths})})
    used, masks = kept["cargo masks"]
    flow = np.asarray(out.solution.flow, dtype=float)
    acc: dict[ResourceKey, dict[str, float]] = {}
    for cargo, mask in masks.items():
        through = used @ (flow * mask)
        for i in np.flatnonzero(through > 1e-6):
            acc.setdefault(out.resources[i].key, {})[cargo] = float(through[i])
    return acc


def demand_rows_out(out: YearOutcome) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    into = diverted_into(out)
    focus = focus_group(out.network)
    own = _own_flows(out)
    for k, c in enumerate(out.commodities):
        d = c.demand
        row = rows.setdefault(d.id, {
            "year": out.network.year, "demand": d.id, "origin": d.origin,
            "destination": d.destination, "cargo": d.cargo, "kind": d.kind,
            "demand_t": d.tonnes, "focus_group_t": 0.0, "other_corridors_t": 0.0,
            "diverted_t": 0.0, "unserved_t": 0.0})
        carried = own[k] - into.get(k, 0.0)
        slack = float(out.solution.slack[k])
        row["focus_group_t" if c.group == focus else "other_corridors_t"] += carried
        fb = out.fallback[k]
        if fb is not None:
            row["diverted_t"] += slack
            row["focus_group_t" if out.commodities[fb].group == focus else
                "other_corridors_t"] += slack
        else:
            row["unserved_t"] += slack
    return list(rows.values())


def _own_flows(out: YearOutcome) -> list[float]:
    """Tonnes on each commodity's own paths, ``flow[path_commodity == k].sum()``: as a slice
    of each commodity's run of paths (they are in commodity order)."""
    n_k, of, flow = len(out.commodities), out.path_commodity, out.solution.flow
    if np.any(np.diff(of) < 0):  # not in commodity order: find each one's
        return [float(flow[of == k].sum()) for k in range(n_k)]
    ends = np.cumsum(np.bincount(of, minlength=n_k)).tolist() if len(of) else [0] * n_k
    return [float(flow[a:b].sum()) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def share_rows(out: YearOutcome) -> list[dict[str, Any]]:
    acc: dict[tuple[str, str], float] = {}
    meta = {c.demand.id: c.demand for c in out.commodities}
    for p, x, did, _ in carried_paths(out):
        acc[(did, p.corridor or "other")] = acc.get((did, p.corridor or "other"), 0.0) + x
    rows = []
    for (did, corridor), t in sorted(acc.items()):
        d = meta[did]
        rows.append({"year": out.network.year, "demand": did, "origin": d.origin,
                     "destination": d.destination, "cargo": d.cargo, "kind": d.kind,
                     "corridor": corridor, "tonnes": t,
                     "share": t / d.tonnes if d.tonnes else 0.0,
                     "teu": teu(t, d.cargo, out)})
    return rows


def corridor_rows(out: YearOutcome) -> list[dict[str, Any]]:
    """Each contestable pair's best path per corridor: days, cost, CO2, with congested waits."""
    best: dict[tuple[str, str, str, str], tuple[float, Path]] = {}
    of, costs = out.path_commodity.tolist(), out.path_cost.tolist()
    for j, p in enumerate(out.paths):
        c = out.commodities[of[j]]
        if c.demand.kind != "contestable" or p.corridor is None:
            continue
        key = (p.origin, p.destination, p.cargo, p.corridor)
        if key not in best or costs[j] < best[key][0]:
            best[key] = (costs[j], p)
    rows = []
    for (o, d, cargo, corridor), (cost, p) in sorted(best.items()):
        t_teu = 1.0 / (teu(1.0, cargo, out) or np.nan)
        rows.append({"year": out.network.year, "origin": o, "destination": d, "cargo": cargo,
                     "corridor": corridor, "days": path_hours(p, out) / HOURS_PER_DAY, "km": p.km,
                     "cost_usd_per_t": p.usd, "cost_usd_per_feu": p.usd * 2 * t_teu,
                     "co2_kg_per_teu": p.co2 * 1000 * t_teu, "generalized_usd_per_t": cost})
    return rows


def unserved_rows(out: YearOutcome) -> list[dict[str, Any]]:
    """Cargo not carried at all, by demand item, with what not carrying a tonne costs: the
    extra cost of its real alternative, or the scenario's penalty if it names none."""
    rows: dict[str, dict[str, Any]] = {}
    for k, c in enumerate(out.commodities):
        slack = float(out.solution.slack[k])
        if out.fallback[k] is not None or slack <= 1e-6:
            continue
        d = c.demand
        own = out.path_cost[out.path_commodity == k]
        if d.unserved_cost is not None:
            per_t, alternative = d.unserved_cost, d.alternative
        else:  # the penalty the LP charged, above the cheapest path
            charged = float(out.penalty[k]) if out.penalty is not None else 0.0
            per_t = max(charged - (float(own.min()) if own.size else 0.0), 0.0)
            alternative = "assumption: the scenario's unserved_penalty (no alternative given)"
        row = rows.setdefault(d.id, {
            "year": out.network.year, "demand": d.id, "origin": d.origin,
            "destination": d.destination, "cargo": d.cargo, "kind": d.kind,
            "corridor": c.alternative, "unserved_t": 0.0, "cost_usd_per_t": per_t,
            "cost_usd": 0.0, "alternative": alternative})
        row["unserved_t"] += slack
        row["cost_usd"] += slack * per_t
    return list(rows.values())
