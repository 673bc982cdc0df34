"""Observed against modelled: what the model says about each observed figure.

Tonnes and TEU add up the flows through the links, sea services or nodes an observation names
(a node counts every carried path that calls there once: a port's throughput); transit days
take a corridor's door-to-door time between two places with that year's waits; a share is a
corridor's or a corridor group's part of the contestable pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from titr.assign import year_tables
from titr.assign.resources import ResourceKey
from titr.model import units
from titr.model.errors import fail
from titr.model.figures import Figure
from titr.model.scenario import Observation
from titr.model.units import HOURS_PER_DAY
from titr.routing.corridor_paths import best_by_corridor
from titr.routing.graph import build_graph

if TYPE_CHECKING:
    from titr.assign.year import YearOutcome

UNITS = {"tonnes": ("t", "t/yr"), "teu": ("TEU", "TEU/yr"), "transit-days": ("d",),
         "share": ("1",)}


def observed_value(o: Observation) -> float:
    fig: Figure = o.value
    for unit in UNITS[o.quantity]:
        if units.fits(fig.unit, unit):
            return fig.to(unit)
    raise fail(f"unit {fig.unit!r} does not fit {o.quantity}", where=f"observed[{o.id}].value",
               fix=f"use {' or '.join(UNITS[o.quantity])}")


def _transit_days(o: Observation, out: YearOutcome) -> float:
    if not (o.origin and o.destination and o.corridor):
        raise fail("transit-days needs origin, destination and corridor",
                   where=f"observed[{o.id}]", fix="add them")
    waits = {k.element: w for k, w in out.waits.items() if k.kind == "service" and not k.reverse}
    cg = build_graph(out.network, o.cargo[0] if o.cargo != ["*"] else "container", waits)
    path = best_by_corridor(cg, o.origin, o.destination).get(o.corridor)
    if path is None:
        return float("nan")
    queued = sum(out.waits.get(ResourceKey(kind, n), 0.0) for n in path.nodes
                 for kind in ("border", "gauge"))
    return path.days + queued / HOURS_PER_DAY


def _share(o: Observation, out: YearOutcome) -> float:
    want = o.corridor or ""
    net = out.network
    total = mine = 0.0
    kinds = {c.demand.id: c.demand.kind for c in out.commodities}
    for p, x, did, _ in year_tables.carried_paths(out):
        if kinds[did] != "contestable":
            continue
        total += x
        group = net.corridors[p.corridor].group if p.corridor in net.corridors else ""
        if want in (p.corridor, group):
            mine += x
    return mine / total if total else float("nan")


def _through_nodes(o: Observation, out: YearOutcome, nodes: set[str]) -> float:
    acc = 0.0
    for p, x, _, _ in year_tables.carried_paths(out):
        if (o.cargo == ["*"] or p.cargo in o.cargo) and nodes & set(p.nodes):
            if o.quantity == "tonnes":
                acc += x
            else:
                acc += year_tables.teu(x, p.cargo, out) or 0.0
    return acc


def modelled_value(o: Observation, out: YearOutcome, flows: list[dict[str, Any]]) -> float:
    """The model's figure for an observation, from its year's outcome and flow rows."""
    if o.quantity == "transit-days":
        return _transit_days(o, out)
    if o.quantity == "share":
        return _share(o, out)
    nodes = {v for v in o.via if v in out.network.nodes}
    f = [r for r in flows if r["element"] in o.via and (o.cargo == ["*"] or r["cargo"] in o.cargo)]
    along = float(sum(r["tonnes"] for r in f) if o.quantity == "tonnes"
                  else sum(r["teu"] or 0.0 for r in f))
    return along + (_through_nodes(o, out, nodes) if nodes else 0.0)


def calibration_rows(observed: list[Observation], out: YearOutcome,
                     flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The calibration table's rows of one year: its observations, observed and modelled."""
    rows = []
    for o in observed:
        if o.year != out.network.year:
            continue
        obs = observed_value(o)
        modelled = modelled_value(o, out, flows)
        rows.append({"year": o.year, "observation": o.id, "quantity": o.quantity,
                     "observed": obs, "modelled": modelled,
                     "error_pct": 100 * (modelled - obs) / obs if obs else np.nan,
                     "source": ", ".join(o.value.source) or "assumption",
                     "set": o.set, "scope": o.scope})
    return rows
