"""Candidate paths of one year: for each demand item, one commodity per corridor it may use.

Contestable demand may use every corridor with a path; route choice splits it (nested logit,
see logit.py) and the LP carries each corridor's part on that corridor's paths. Captive demand
stays on what it declares: a corridor (that corridor's paths only) or a corridor group (one
commodity over the group's paths, routed by the LP).
Which group the assessment is about ("the middle corridor" of the totals) is data: the study's
focus group (see ``Scenario.focus_group``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from titr.model.demand import DemandRow
from titr.model.network import Network
from titr.routing.corridor_paths import Path, candidate_paths, prepare_paths
from titr.routing.graph import CorridorGraph, shared_graph

log = logging.getLogger(__name__)

PER_CORRIDOR = 6


@dataclass(frozen=True)
class Commodity:
    demand: DemandRow
    alternative: str  # the corridor id
    group: str  # the corridor's group (its nest)
    paths: tuple[Path, ...]


def focus_group(net: Network) -> str:
    """The corridor group the assessment is about (the scenario's study says which)."""
    return net.focus_group


def allowed_corridors(row: DemandRow, net: Network) -> set[str] | None:
    """The corridors a demand item may use (None: any)."""
    if row.kind != "captive" or not row.corridor:
        return None
    if row.corridor in net.corridors:
        return {row.corridor}
    return {c.id for c in net.corridors.values() if c.group == row.corridor}


def commodities(net: Network, rows: list[DemandRow],
                graphs: dict[str, CorridorGraph] | None = None,
                closed: tuple[str, ...] = ()) -> list[Commodity]:
    """The commodities of the year; paths of ``closed`` corridors (ids or groups) are left out,
    so their cargo takes the other corridors."""
    graphs = graphs if graphs is not None else {}
    shut = {c.id for c in net.corridors.values() if c.id in closed or c.group in closed}
    for cargo in dict.fromkeys(r.cargo for r in rows):
        if cargo not in graphs:
            graphs[cargo] = shared_graph(net, cargo)
            prepare_paths(graphs[cargo], [(r.origin, r.destination) for r in rows
                                          if r.cargo == cargo])
    out: list[Commodity] = []
    for row in rows:
        allowed = allowed_corridors(row, net)
        by_corridor: dict[str, list[Path]] = {}
        for p in candidate_paths(graphs[row.cargo], row.origin, row.destination, PER_CORRIDOR):
            if p.corridor in net.corridors and p.corridor not in shut and (
                    allowed is None or p.corridor in allowed):
                by_corridor.setdefault(p.corridor, []).append(p)
        if not by_corridor:  # no path this year: everything is unserved
            log.info("%d: no path for demand %s (%s → %s, %s); it is all unserved", net.year,
                     row.id, row.origin, row.destination, row.cargo)
            first = row.corridor if row.corridor in net.corridors else \
                next(iter(sorted(allowed or net.corridors)), "")
            by_corridor = {first: []}
        if allowed is not None and row.corridor not in net.corridors:
            # captive to a group: one commodity over all its corridors; the LP routes it
            # where capacity and congestion allow (it does not choose by logit)
            group_paths = tuple(p for ps in by_corridor.values() for p in ps)
            out.append(Commodity(row, row.corridor or "", row.corridor or "", group_paths))
            continue
        for cid, ps in by_corridor.items():
            out.append(Commodity(row, cid, net.corridors[cid].group if cid in net.corridors
                                 else "", tuple(ps)))
    return out
