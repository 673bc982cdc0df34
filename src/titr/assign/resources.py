"""Capacitated resources of one year's network and how much of each a tonne on a path uses.

Every capacity is a row ``Σ_c flow_c / capacity_c ≤ 1``: a capacity given in trains/day, TEU/yr
or wagons per sailing becomes, for each cargo class, tonnes a year (through the cargo class's
conversions), and a tonne of class c uses 1/capacity_c of the resource. Links and sea services
have one resource per direction; ports one per handling entry; borders and gauge changes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from titr.model import cargo as cargo_units
from titr.model.capacity import fleet_capacity, service_tonnes
from titr.model.figures import Figure
from titr.model.network import Network
from titr.routing.paths import Path


@dataclass
class Resource:
    key: str  # e.g. "service:p-q>" ("<" … ">" marks the reverse direction)
    kind: str  # link, service, handling, border, gauge
    element: str  # the link, service or node id
    label: str
    native: str  # the capacity as given, e.g. "60 trains/day" or "4 Mt/yr"
    tonnes: dict[str, float] = field(default_factory=dict)  # cargo → capacity in t/yr


def _flow_tonnes(fig: Figure, net: Network, cargo_ids: list[str]) -> dict[str, float]:
    out = {}
    for cid in cargo_ids:
        c = net.cargo[cid]
        if cargo_units.convertible(c, fig.unit):
            out[cid] = cargo_units.per_year_tonnes(fig, c)
    return out


def _native(fig: Figure) -> str:
    return f"{fig.value:g} {fig.unit}"


def build_resources(net: Network) -> dict[str, Resource]:
    res: dict[str, Resource] = {}
    everything = list(net.cargo)
    for link in net.links.values():
        if link.capacity is None:
            continue
        cargo = everything if "*" in link.cargo else link.cargo
        tonnes = _flow_tonnes(link.capacity, net, cargo)
        for arc in (link.id, link.id + ">") if link.bidirectional else (link.id,):
            way = f"{link.to}→{link.from_}" if arc.endswith(">") else f"{link.from_}→{link.to}"
            res["link:" + arc] = Resource("link:" + arc, "link", link.id,
                                          f"{link.name or link.id} ({way})",
                                          _native(link.capacity), dict(tonnes))
    for s in net.services.values():
        fleets = net.fleets_of(s.id)
        sailings = sum(fleet_capacity(net, f).sailings_per_year for f in fleets)
        if sailings <= 0:  # no vessel in service: no path uses it (see routing.costs)
            continue
        tonnes = {c: service_tonnes(net, s.id, c) for c in s.cargo}
        tonnes = {c: t for c, t in tonnes.items() if t > 0}
        for arc in (s.id, s.id + ">") if s.bidirectional else (s.id,):
            way = f"{s.to}→{s.from_}" if arc.endswith(">") else f"{s.from_}→{s.to}"
            res["service:" + arc] = Resource(
                "service:" + arc, "service", s.id, f"{s.name or s.id} ({way})",
                f"{sailings:,.0f} sailings/yr from {sum(f.vessels.value for f in fleets):g} "
                f"vessels", dict(tonnes))
    for node in net.nodes.values():
        for h in node.handling:
            cargo = everything if "*" in h.cargo else h.cargo
            key = f"handling:{node.id}/{h.id}"
            res[key] = Resource(key, "handling", node.id, f"{node.name or node.id} {h.id}",
                                _native(h.capacity), _flow_tonnes(h.capacity, net, cargo))
        if node.border is not None and node.border.capacity is not None:
            key = f"border:{node.id}"
            res[key] = Resource(key, "border", node.id, f"{node.name or node.id} border",
                                _native(node.border.capacity),
                                _flow_tonnes(node.border.capacity, net, everything))
        if node.gauge_change is not None and node.gauge_change.capacity is not None:
            key = f"gauge:{node.id}"
            res[key] = Resource(key, "gauge", node.id, f"{node.name or node.id} gauge change",
                                _native(node.gauge_change.capacity),
                                _flow_tonnes(node.gauge_change.capacity, net, everything))
    return res


def _handling_keys(resources: dict[str, Resource]) -> dict[str, list[str]]:
    """Node id → its handling resources (cached on the dict's identity)."""
    cached = _HANDLING.get(id(resources))
    if cached is not None and cached[0] is resources:
        return cached[1]
    index: dict[str, list[str]] = {}
    for r in resources.values():
        if r.kind == "handling":
            index.setdefault(r.element, []).append(r.key)
    _HANDLING.clear()
    _HANDLING[id(resources)] = (resources, index)
    return index


_HANDLING: dict[int, tuple[dict[str, Resource], dict[str, list[str]]]] = {}


def path_usage(path: Path, resources: dict[str, Resource]) -> dict[str, float]:
    """Share of each resource's capacity that one tonne a year on this path uses."""
    use: dict[str, float] = {}
    keys = [f"link:{a}" for a in path.arcs] + [f"service:{a}" for a in path.arcs]
    for node in path.nodes:
        keys += [f"border:{node}", f"gauge:{node}"]
        keys += _handling_keys(resources).get(node, [])
    for key in keys:
        r = resources.get(key)
        if r is None:
            continue
        cap = r.tonnes.get(path.cargo)
        if cap is None:
            continue  # this resource does not serve this cargo class
        use[key] = use.get(key, 0.0) + (1.0 / cap if cap > 0 else float("inf"))
    return use
