"""Tables that describe the scenario beside the results: geometry, projects, sources.

They make a results database self-contained, so a report or a comparison of two databases
needs nothing else.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from titr.model.scenario import Scenario


def _first_years(sc: Scenario, collection: str, base: set[str]) -> dict[str, int]:
    first = {i: sc.first_year for i in base}
    for p in sorted(sc.projects, key=lambda p: p.year):
        for c in p.changes:
            if c.op == "add" and c.collection == collection and c.item:
                first.setdefault(str(c.item.get("id")), p.year)
    return first


def node_rows(sc: Scenario) -> list[dict[str, Any]]:
    net = sc.network(sc.last_year)
    first = _first_years(sc, "nodes", {n.id for n in sc.nodes})
    return [{"id": n.id, "name": n.name or n.id, "country": n.country, "kind": n.kind.value,
             "lat": n.lat, "lon": n.lon, "first_year": first.get(n.id, sc.first_year),
             "border": n.border is not None, "gauge_change": n.gauge_change is not None}
            for n in net.nodes.values()]


def edge_rows(sc: Scenario) -> list[dict[str, Any]]:
    net = sc.network(sc.last_year)
    first = {**_first_years(sc, "links", {x.id for x in sc.links}),
             **_first_years(sc, "sea_services", {s.id for s in sc.sea_services})}
    rows = []
    for link in net.links.values():
        tags = sorted({t for _, f in _figs(link) for t in f.source})
        rows.append({"id": link.id, "kind": "link", "mode": link.mode.value,
                     "name": link.name or link.id, "from": link.from_, "to": link.to,
                     "distance_km": link.distance.to("km"),
                     "first_year": first.get(link.id, sc.first_year), "sources": ", ".join(tags)})
    for s in net.services.values():
        tags = sorted({t for _, f in _figs(s) for t in f.source})
        rows.append({"id": s.id, "kind": "service", "mode": "sea", "name": s.name or s.id,
                     "from": s.from_, "to": s.to, "distance_km": s.distance.to("km"),
                     "first_year": first.get(s.id, sc.first_year), "sources": ", ".join(tags)})
    return rows


def _figs(item: Any) -> list[tuple[str, Any]]:
    from titr.model.scenario import _figures_in

    return _figures_in(item)


def project_rows(sc: Scenario) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name or p.id, "year": p.year, "status": p.status,
             "sources": ", ".join(p.source) or f"assumption: {p.assumption}",
             "description": p.description} for p in sorted(sc.projects, key=lambda p: p.year)]


def source_rows(sc: Scenario) -> list[dict[str, Any]]:
    """One row per source and the figures that use it (walked once per scenario)."""
    return [dict(r) for r in sc.memo("source_rows", lambda: _source_rows(sc))]


def _source_rows(sc: Scenario) -> list[dict[str, Any]]:
    uses: Counter[str] = Counter()
    for _, fig in sc.figures():
        uses.update(fig.source)
    for tags in [p.source for p in sc.projects] + [e.source for e in sc.events]:
        uses.update(tags)
    return [{"id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date,
             "url": s.url, "figures": uses.get(s.id, 0)} for s in sc.sources]


def event_rows(sc: Scenario) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(sc.events, key=lambda e: e.start):
        d = e.duration
        rows.append({"id": e.id, "name": e.name or e.id, "start": e.start, "end": e.last_year,
                     "duration": f"{d.min}/{d.mode}/{d.max}" if d else "",
                     "sources": ", ".join(e.source) or f"assumption: {e.assumption}",
                     "description": e.description})
    return rows
