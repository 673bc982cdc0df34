"""The report's data: one JSON-ready dict per scenario, drawn by the page's JavaScript.

Everything the page shows comes from here, so the JS stays a pure view and the numbers can be
tested in Python. Tables become lists of records; NaN becomes null.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from titr import __version__
from titr.assign.assessment_result import AssessmentResult
from titr.report.extras import Extras
from titr.report.geo import country_ids
from titr.report.names import readable, short_name

KEY_ASSETS = 8  # utilisation chart: this many resources, the binding ones first
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f"]


def clean(x: Any) -> Any:
    """JSON-safe: NaN/inf → None, numpy scalars → Python, recursively."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, str):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if x is pd.NaT or x is pd.NA:
        return None
    return x


def records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    out: list[dict[str, Any]] = clean(df.astype(object).to_dict(orient="records"))
    return out


def _num(x: Any) -> int:
    # pandas cells are typed loosely; years are whole numbers
    return int(x)


def _float(x: Any) -> float:
    return float(x)


def _split(tags: Any) -> list[str]:
    return [t.strip() for t in str(tags or "").split(",") if t.strip()]


def _edge_years(res: AssessmentResult) -> dict[int, dict[str, dict[str, Any]]]:
    """Per year and edge: flows by direction and cargo, and its busiest capacity (grouped
    once per table: a Python loop per (year, edge) took seconds on the full horizon)."""
    out: dict[int, dict[str, dict[str, Any]]] = {}
    keys = ["year", "element"]
    f = res.flows.assign(teu=res.flows.teu.fillna(0))
    if len(f):
        tot = f.groupby(keys, sort=False)[["tonnes", "teu"]].sum()
        way = f.pivot_table(index=keys, columns="direction", values="tonnes", aggfunc="sum",
                            fill_value=0.0)
        cargo = f.groupby([*keys, "cargo"], sort=False).tonnes.sum()
        cargo = cargo[cargo > 0].sort_values(ascending=False)
        by_cargo: dict[tuple[Any, Any], dict[str, float]] = {}
        for key, v in zip(cargo.index.tolist(), cargo.tolist(), strict=True):
            by_cargo.setdefault((key[0], key[1]), {})[str(key[2])] = float(v)
        fwd = way["forward"] if "forward" in way else pd.Series(0.0, index=way.index)
        rev = way["reverse"] if "reverse" in way else pd.Series(0.0, index=way.index)
        for key, t, teu in zip(tot.index.tolist(), tot.tonnes.tolist(), tot.teu.tolist(),
                               strict=True):
            out.setdefault(_num(key[0]), {})[str(key[1])] = {
                "t": float(t), "teu": float(teu), "fwd": float(fwd.loc[key]),
                "rev": float(rev.loc[key]), "cargo": by_cargo.get((key[0], key[1]), {})}
    u = res.utilisation[res.utilisation.kind.isin(["link", "service"])]
    if len(u):
        top = u.sort_values("utilisation", ascending=False, kind="stable").drop_duplicates(keys)
        agg = u.groupby(keys).agg(binding=("binding", "any"), shadow=("shadow_usd_per_t", "max"))
        flags = {key: (bool(b), float(sh)) for key, b, sh in
                 zip(agg.index.tolist(), agg.binding.tolist(), agg.shadow.tolist(), strict=True)}
        for row in top.to_dict("records"):
            binding, shadow = flags[(row["year"], row["element"])]
            cell = out.setdefault(_num(row["year"]), {}).setdefault(str(row["element"]), {
                "t": 0.0, "teu": 0.0, "fwd": 0.0, "rev": 0.0, "cargo": {}})
            cell.update({"util": float(row["utilisation"]), "cap": str(row["capacity"]),
                         "cap_t": row["capacity_t"], "cap_cargo": row["main_cargo"],
                         "way": str(row["label"]), "binding": binding, "shadow": shadow})
    return out


def _node_years(res: AssessmentResult) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Per year and node: its handling, border and gauge-change resources."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {}
    u = res.utilisation[res.utilisation.kind.isin(["handling", "border", "gauge"])]
    for r in u.itertuples(index=False):
        out.setdefault(_num(r.year), {}).setdefault(str(r.element), []).append({
            "label": r.label, "kind": r.kind, "util": r.utilisation, "cap": r.capacity,
            "binding": bool(r.binding), "shadow": r.shadow_usd_per_t})
    return out


def _key_assets(res: AssessmentResult) -> list[dict[str, Any]]:
    u = res.utilisation
    if u.empty:
        return []
    stats = u.groupby("resource").agg(label=("label", "first"), kind=("kind", "first"),
                                      element=("element", "first"),
                                      peak=("utilisation", "max"), binds=("binding", "sum"),
                                      flow=("flow_t", "max"))
    stats = stats[stats.flow > 0].sort_values(["binds", "peak"], ascending=False)
    assets = []
    for key, s in stats.head(KEY_ASSETS).iterrows():
        g = u[u.resource == key].sort_values("year")
        assets.append({"resource": key, "label": s.label, "kind": s.kind,
                       "element": s.element, "years": g.year.tolist(),
                       "util": g.utilisation.tolist(), "binding": g.binding.tolist()})
    return assets


BOTTLENECK_COLUMNS = ["year", "label", "kind", "element", "resource", "capacity", "utilisation",
                      "shadow_usd_per_t", "shadow_usd_per_year"]


def _headline(res: AssessmentResult) -> list[dict[str, Any]]:
    """Each year's bottleneck as the assessment names it (totals.bottleneck), with the
    element to highlight; the top binding constraint when the totals name none."""
    u, rows = res.utilisation, []
    for t in res.totals.itertuples(index=False):
        hit = u[(u.year == t.year) & (u.label == t.bottleneck)] if t.bottleneck else u[:0]
        if hit.empty:
            hit = res.bottlenecks[res.bottlenecks.year == t.year]
        if len(hit):
            rows.append(hit.sort_values("shadow_usd_per_t", ascending=False).iloc[:1])
    return records(pd.concat(rows), BOTTLENECK_COLUMNS) if rows else []


def _volumes(res: AssessmentResult) -> list[dict[str, Any]]:
    s = res.shares
    if s.empty:
        return []
    v = s.assign(teu=s.teu.fillna(0)).groupby(["year", "corridor"], as_index=False)[
        ["tonnes", "teu"]].sum()
    return records(v)


def _routes(res: AssessmentResult) -> list[dict[str, Any]]:
    """Origin–destination–cargo triples with corridor options, the biggest demand first."""
    c = res.corridors
    if c.empty:
        return []
    keys = ["origin", "destination", "cargo"]
    combos = c[keys].drop_duplicates()
    d = res.demand.groupby(keys, as_index=False).demand_t.sum()
    combos = combos.merge(d, on=keys, how="left").fillna({"demand_t": 0.0})
    n = c.groupby(keys).corridor.nunique().rename("options").reset_index()
    combos = combos.merge(n, on=keys).sort_values(["options", "demand_t"], ascending=False)
    names = {i: short_name(str(n)) for i, n in zip(res.nodes.id, res.nodes.name, strict=True)}
    return [{"key": f"{r.origin}|{r.destination}|{r.cargo}",
             "label": f"{names.get(r.origin, r.origin)} → "
                      f"{names.get(r.destination, r.destination)} ({r.cargo})",
             "origin": r.origin, "destination": r.destination, "cargo": r.cargo,
             "demand_t": _float(r.demand_t)} for r in combos.itertuples(index=False)]


def _crossing(res: AssessmentResult, focus: list[str]) -> list[dict[str, Any]]:
    """Carried vs capacity of the focus crossing (the study's), per year and way.

    Capacity is each resource's tonnes a year for the cargo it carries most, summed over the
    crossing's links and services; ways are named by compass (a westbound forward arc)."""
    u = res.utilisation
    ids = set(focus) or set(res.edges.id[res.edges.kind == "service"].astype(str))
    u = u[u.element.astype(str).isin(ids) & u.kind.isin(["link", "service"])]
    if u.empty:
        return []
    lon = dict(zip(res.nodes.id, res.nodes.lon, strict=True))
    ends = {str(e): (lon.get(a), lon.get(b)) for e, a, b in
            zip(res.edges.id, res.edges["from"], res.edges["to"], strict=True)}

    def way(resource: str, element: str) -> str:
        a, b = ends.get(element, (None, None))
        west = a is not None and b is not None and b < a
        return "westbound" if west != resource.endswith(">") else "eastbound"

    u = u.assign(way=[way(str(r), str(e)) for r, e in zip(u.resource, u.element, strict=True)])
    g = u.groupby(["year", "way"], as_index=False).agg(
        carried_t=("flow_t", "sum"), capacity_t=("capacity_t", "sum"))
    g = g.assign(headroom_t=(g.capacity_t - g.carried_t).clip(lower=0),
                 used=g.carried_t / g.capacity_t.where(g.capacity_t > 0))
    return records(g.sort_values(["year", "carried_t"], ascending=[True, False]))


def _corridor_styles(res: AssessmentResult, ex: Extras) -> dict[str, dict[str, str]]:
    given = {str(r.id): r for r in ex.corridors.itertuples(index=False)}
    ids = list(dict.fromkeys([*given, *res.corridors.corridor.astype(str),
                              *res.shares.corridor.astype(str)]))
    out = {}
    for i, cid in enumerate(ids):
        g = given.get(cid)
        colour = str(g.color) if g is not None and g.color and g.color != "#888888" else \
            PALETTE[i % len(PALETTE)]
        out[cid] = {"name": str(g.name) if g is not None else cid, "color": colour,
                    "group": str(g.group) if g is not None else ""}
    return out


def scenario_data(res: AssessmentResult, extras: Extras | None = None,
                  label: str = "") -> dict[str, Any]:
    """Everything the page draws for one assessment."""
    ex = extras or Extras()
    res = readable(res)
    years = [int(y) for y in res.meta.get("years", res.totals.year.tolist())]
    nodes = res.nodes
    edges = res.edges.assign(sources=res.edges.sources.map(_split),
                             path=res.edges.id.map(lambda i: ex.lines.get(str(i))))
    sources = res.sources
    bn = res.bottlenecks
    return clean({
        "id": res.scenario, "name": ex.name or res.scenario, "label": label or res.scenario,
        "description": ex.description, "years": years, "study": ex.study,
        "meta": {k: res.meta.get(k) for k in ("waits", "seconds", "parameters", "projects")},
        "nodes": records(nodes.assign(short=nodes.name.astype(str).map(short_name))),
        "edges": records(edges),
        "countries": country_ids(list(zip(nodes.lon, nodes.lat, strict=True))),
        "edge_years": _edge_years(res), "node_years": _node_years(res),
        "totals": records(res.totals), "bottlenecks": records(bn, BOTTLENECK_COLUMNS),
        "headline": _headline(res), "crossing": _crossing(res, ex.focus),
        "events": records(events) if isinstance(events := getattr(res, "events", None),
                                                pd.DataFrame) else [],
        "volumes": _volumes(res), "calibration": records(res.calibration),
        "corridors": records(res.corridors), "routes": _routes(res),
        "corridor_styles": _corridor_styles(res, ex), "key_assets": _key_assets(res),
        "sim": records(ex.sim_kpis) if ex.sim_kpis is not None else None,
        "projects": records(res.projects.assign(sources=res.projects.sources.map(
            lambda s: s if str(s).startswith("assumption") else _split(s)))),
        "sources": records(sources), "assumptions": records(ex.assumptions),
        "assumptions_known": ex.known,
        "unserved": records(res.unserved), "groups": records(res.groups),
        "backtest": records(ex.backtest) if ex.backtest is not None else [],
    })


def report_data(runs: list[tuple[AssessmentResult, Extras | None]]) -> dict[str, Any]:
    """The page's blob: one scenario, or two to compare (A, then B)."""
    labels = ["A", "B"] if len(runs) == 2 else [""]
    scenarios = [scenario_data(res, ex, lab or res.scenario)
                 for (res, ex), lab in zip(runs, labels, strict=True)]
    if len(scenarios) == 2 and scenarios[0]["id"] == scenarios[1]["id"]:
        for s, lab in zip(scenarios, labels, strict=True):
            s["name"] = f"{s['name']} ({lab})"
    if len(scenarios) == 1:
        title = f"titr assessment — {scenarios[0]['name']}"
    else:
        title = f"titr comparison — {scenarios[0]['name']} vs {scenarios[1]['name']}"
    return {"title": title, "version": __version__, "scenarios": scenarios}
