"""What the API tells about a built-in scenario: its summary, its levers, its network as of a
year (GeoJSON) and the routes between two places."""

from __future__ import annotations

from typing import Any

from titr import routes as route_table
from titr.model import Scenario, TitrError
from titr.model.errors import Problem
from titr.report.page_data import clean, records
from titr.web import served
from titr.web.compute import base_scenario, check_year
from titr.web.levers import catalog, default_from_year
from titr.web.schemas import ScenarioInfo, ScenarioSummary, StudyWords


def scenario_names() -> list[str]:
    return served.scenario_names()


def info(sc: Scenario) -> ScenarioInfo:
    return ScenarioInfo(id=sc.id, name=sc.name, description=sc.description,
                        first_year=sc.first_year, last_year=sc.last_year)


def summary(name: str) -> ScenarioSummary:
    sc = base_scenario(name)
    st = sc.study_or_default()
    return ScenarioSummary(
        **info(sc).model_dump(),
        study=StudyWords(study_name=st.name, focus_label=st.focus_label,
                         focus_group=st.focus_group),
        counts={"nodes": len(sc.nodes), "links": len(sc.links),
                "sea_services": len(sc.sea_services), "fleets": len(sc.fleets),
                "projects": len(sc.projects), "demand": len(sc.demand),
                "sources": len(sc.sources)},
        projects=[{"id": p.id, "name": p.name or p.id, "year": p.year, "status": p.status}
                  for p in sorted(sc.projects, key=lambda p: p.year)],
        corridors=[{"id": c.id, "name": c.name or c.id, "group": c.group, "color": c.color}
                   for c in sc.corridors],
        default_from_year=default_from_year(sc), levers=catalog(sc))


def _capacity(item: Any) -> str:
    cap = getattr(item, "capacity", None)
    return f"{cap.value:g} {cap.unit}" if cap is not None and hasattr(cap, "unit") else ""


def network_geojson(name: str, year: int) -> dict[str, Any]:
    """Nodes (Points) and links and sea services (LineStrings, [lon, lat]) open in ``year``."""
    sc = base_scenario(name)
    check_year(sc, year)
    net = sc.network(year)
    feats: list[dict[str, Any]] = []
    for n in net.nodes.values():
        feats.append({"type": "Feature", "id": f"node:{n.id}", "geometry": {
            "type": "Point", "coordinates": [n.lon, n.lat]}, "properties": {
            "layer": "node", "id": n.id, "name": n.name or n.id, "country": n.country,
            "kind": n.kind.value, "border": n.border is not None,
            "gauge_change": n.gauge_change is not None}})
    edges = []
    for link in net.links.values():
        edges.append(_edge(net, link.id, link.from_, link.to, {
            "kind": "link", "mode": link.mode.value, "name": link.name or link.id,
            "distance_km": link.distance.to("km"), "capacity": _capacity(link)}))
    for s in net.services.values():
        fleets = net.fleets_of(s.id)
        edges.append(_edge(net, s.id, s.from_, s.to, {
            "kind": "service", "mode": "sea", "name": s.name or s.id, "service": s.kind,
            "distance_km": s.distance.to("km"),
            "vessels": sum(f.vessels.value for f in fleets),
            "fleets": [f.id for f in fleets]}))
    return {"type": "FeatureCollection", "name": f"titr-{sc.id}-{year}",
            "features": clean(feats + [e for e in edges if e is not None])}


def _edge(net: Any, eid: str, a: str, b: str, props: dict[str, Any]) -> dict[str, Any] | None:
    if a not in net.nodes or b not in net.nodes:
        return None
    na, nb = net.nodes[a], net.nodes[b]
    return {"type": "Feature", "id": f"edge:{eid}", "geometry": {
        "type": "LineString", "coordinates": [[na.lon, na.lat], [nb.lon, nb.lat]]},
        "properties": {"layer": "edge", "id": eid, "from": a, "to": b, **props}}


def routes(name: str, origin: str | None, destination: str | None, year: int, cargo: str
           ) -> list[dict[str, Any]]:
    sc = base_scenario(name)
    check_year(sc, year)
    origin, destination = sc.route_pair(origin, destination)
    net = sc.network(year)
    if cargo not in net.cargo:
        raise TitrError(Problem("", "cargo", f"unknown cargo class {cargo!r}",
                                f"use one of: {', '.join(net.cargo)}"))
    for field, node in (("origin", origin), ("destination", destination)):
        if node not in net.nodes:
            raise TitrError(Problem("", field, f"no place {node!r} in {year}",
                                    "use a node id from GET /api/scenarios/{name}/network"))
    if origin == destination:  # no corridor joins a place to itself
        return []
    return records(route_table(sc, origin, destination, year, cargo))
