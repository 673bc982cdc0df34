"""Candidate paths of one year: for each demand item and each corridor alternative.

Contestable demand chooses among alternatives: the corridors of the group ``middle`` form one
alternative (the LP routes inside it: Aktau or Kuryk, Black Sea or Türkiye), every other
corridor is an alternative of its own. Captive demand has one alternative: its corridor's group.
"""

from __future__ import annotations

from dataclasses import dataclass

from titr.model.demand import DemandRow
from titr.model.network import Network
from titr.routing.graph import CorridorGraph, build_graph
from titr.routing.paths import Path, candidate_paths

INTERNAL_GROUP = "middle"
PER_CORRIDOR = 6


@dataclass(frozen=True)
class Commodity:
    demand: DemandRow
    alternative: str  # "middle" or a corridor id
    paths: tuple[Path, ...]


def alternative_of(path: Path, net: Network) -> str | None:
    corridor = net.corridors.get(path.corridor or "")
    if corridor is None:
        return None
    return INTERNAL_GROUP if corridor.group == INTERNAL_GROUP else corridor.id


def commodities(net: Network, rows: list[DemandRow],
                graphs: dict[str, CorridorGraph] | None = None,
                closed: tuple[str, ...] = ()) -> list[Commodity]:
    """The commodities of the year; paths of ``closed`` corridors (ids or groups) are left out,
    so their cargo takes the other corridors."""
    graphs = graphs if graphs is not None else {}
    shut = {c.id for c in net.corridors.values() if c.id in closed or c.group in closed}
    out: list[Commodity] = []
    for row in rows:
        if row.cargo not in graphs:
            graphs[row.cargo] = build_graph(net, row.cargo)
        paths = [p for p in candidate_paths(graphs[row.cargo], row.origin, row.destination,
                                            PER_CORRIDOR) if p.corridor not in shut]
        by_alt: dict[str, list[Path]] = {}
        for p in paths:
            alt = alternative_of(p, net)
            if alt is not None:
                by_alt.setdefault(alt, []).append(p)
        if row.kind == "captive":
            group = net.corridors[row.corridor].group if row.corridor else INTERNAL_GROUP
            want = INTERNAL_GROUP if group == INTERNAL_GROUP else row.corridor
            by_alt = {k: v for k, v in by_alt.items() if k == want}
        if not by_alt:  # no path this year: everything is unserved
            by_alt = {row.corridor if row.kind == "captive" and row.corridor else
                      INTERNAL_GROUP: []}
        for alt, ps in by_alt.items():
            out.append(Commodity(row, alt, tuple(ps)))
    return out
