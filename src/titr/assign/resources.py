"""Capacitated resources of one year's network and how much of each a tonne on a path uses.

Every capacity is a row ``Σ_c flow_c / capacity_c ≤ 1``: a capacity given in trains/day, TEU/yr
or wagons per sailing becomes, for each cargo class, tonnes a year (through the cargo class's
conversions), and a tonne of class c uses 1/capacity_c of the resource. Links and sea services
have one resource per direction; ports one per handling entry; borders and gauge changes one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import NamedTuple

from scipy import sparse

from titr.model import cargo as cargo_units
from titr.model.capacity import fleet_capacity, service_tonnes
from titr.model.figures import Figure
from titr.model.network import Network
from titr.routing.corridor_paths import Path
from titr.routing.graph import Arc

log = logging.getLogger(__name__)


class ResourceKey(NamedTuple):
    """Which capacity: a link or sea service one way, a node's handling entry, a border post
    or a gauge-change station. ``str()`` gives the key result tables show, e.g.
    ``service:p-q>`` (">" for the reverse direction) or ``handling:poti/containers``."""

    kind: str  # link, service, handling, border, gauge
    element: str  # the link, service or node id
    reverse: bool = False  # links and services: run against the written direction
    entry: str = ""  # handling: the node's handling entry

    def __str__(self) -> str:
        if self.kind == "handling":
            return f"handling:{self.element}/{self.entry}"
        return f"{self.kind}:{self.element}{'>' if self.reverse else ''}"

    @property
    def arc(self) -> Arc:
        """The arc of a link or sea service resource."""
        return Arc(self.element, self.reverse)


@dataclass
class Resource:
    key: ResourceKey
    kind: str  # link, service, handling, border, gauge
    element: str  # the link, service or node id
    label: str
    native: str  # the capacity as given, e.g. "60 trains/day" or "4 Mt/yr"
    tonnes: dict[str, float] = field(default_factory=dict)  # cargo → capacity in t/yr


def _flow_tonnes(fig: Figure, net: Network, cargo_ids: list[str]) -> dict[str, float]:
    """A capacity in tonnes a year for each cargo class it converts for (kept in the
    scenario's shared cache by the figure and cargo class objects: an item no project changes
    keeps its figures from one network version to the next)."""
    kept = net.shared.setdefault("flow tonnes", {})
    out = {}
    for cid in cargo_ids:
        c = net.cargo[cid]
        found = kept.get((id(fig), id(c)))
        if found is None or found[0] is not fig or found[1] is not c:
            tonnes = cargo_units.per_year_tonnes(fig, c) \
                if cargo_units.convertible(c, fig.unit) else None
            found = kept[id(fig), id(c)] = (fig, c, tonnes)
        if found[2] is not None:
            out[cid] = found[2]
    return out


def _native(fig: Figure) -> str:
    return f"{fig.value:g} {fig.unit}"


def build_resources(net: Network) -> dict[ResourceKey, Resource]:
    res: dict[ResourceKey, Resource] = {}
    everything = list(net.cargo)
    for link in net.links.values():
        if link.capacity is None:
            continue
        cargo = everything if "*" in link.cargo else link.cargo
        tonnes = _flow_tonnes(link.capacity, net, cargo)
        for reverse in (False, True) if link.bidirectional else (False,):
            way = f"{link.to}→{link.from_}" if reverse else f"{link.from_}→{link.to}"
            key = ResourceKey("link", link.id, reverse)
            res[key] = Resource(key, "link", link.id, f"{link.name or link.id} ({way})",
                                _native(link.capacity), dict(tonnes))
    for s in net.services.values():
        fleets = net.fleets_of(s.id)
        sailings = sum(fleet_capacity(net, f).sailings_per_year for f in fleets)
        if sailings <= 0:  # no vessel in service: no path uses it (see routing.costs)
            log.debug("%d: sea service %s has no vessel in service: no capacity row",
                      net.year, s.id)
            continue
        tonnes = {c: service_tonnes(net, s.id, c) for c in s.cargo}
        tonnes = {c: t for c, t in tonnes.items() if t > 0}
        for reverse in (False, True) if s.bidirectional else (False,):
            way = f"{s.to}→{s.from_}" if reverse else f"{s.from_}→{s.to}"
            key = ResourceKey("service", s.id, reverse)
            res[key] = Resource(
                key, "service", s.id, f"{s.name or s.id} ({way})",
                f"{sailings:,.0f} sailings/yr from {sum(f.vessels.value for f in fleets):g} "
                f"vessels", dict(tonnes))
    for node in net.nodes.values():
        for h in node.handling:
            cargo = everything if "*" in h.cargo else h.cargo
            key = ResourceKey("handling", node.id, entry=h.id)
            res[key] = Resource(key, "handling", node.id, f"{node.name or node.id} {h.id}",
                                _native(h.capacity), _flow_tonnes(h.capacity, net, cargo))
        if node.border is not None and node.border.capacity is not None:
            key = ResourceKey("border", node.id)
            res[key] = Resource(key, "border", node.id, f"{node.name or node.id} border",
                                _native(node.border.capacity),
                                _flow_tonnes(node.border.capacity, net, everything))
        if node.gauge_change is not None and node.gauge_change.capacity is not None:
            key = ResourceKey("gauge", node.id)
            res[key] = Resource(key, "gauge", node.id, f"{node.name or node.id} gauge change",
                                _native(node.gauge_change.capacity),
                                _flow_tonnes(node.gauge_change.capacity, net, everything))
    return res


def usage_matrix(paths: list[Path], resources: list[Resource]) -> sparse.csr_matrix:
    """(R, P): share of each resource's capacity that one tonne a year on each path uses."""
    # arc or node → (resource, cargo class → share of it a tonne uses) of the resources there
    at: dict[str | Arc, list[tuple[int, dict[str, float]]]] = {}
    for i, r in enumerate(resources):
        share = {c: 1.0 / cap if cap > 0 else float("inf") for c, cap in r.tonnes.items()}
        at.setdefault(r.key.arc if r.kind in ("link", "service") else r.element, []).append(
            (i, share))
    rows, cols, vals = [], [], []
    none: tuple[tuple[int, dict[str, float]], ...] = ()
    for j, p in enumerate(paths):
        cargo = p.cargo
        for places in (p.arcs, p.nodes):
            for place in places:
                for i, share in at.get(place, none):
                    v = share.get(cargo)
                    if v is None:
                        continue  # this resource does not serve this cargo class
                    rows.append(i)
                    cols.append(j)
                    vals.append(v)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(resources), len(paths)))
