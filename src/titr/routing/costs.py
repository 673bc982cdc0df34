"""Per-tonne time, money and CO2 of each link, sea service and node, for one cargo class.

Generalized cost (USD/t) = tariffs + handling, border and gauge-change charges
+ value of time × (travel + dwell + waiting) + carbon price × emissions.
"""

from __future__ import annotations

from dataclasses import dataclass

from titr.model import cargo as cargo_units
from titr.model import units
from titr.model.capacity import fleet_capacity
from titr.model.figures import Figure
from titr.model.network import Network
from titr.model.schema import CargoClass, Link, Node, SeaService
from titr.model.units import HOURS_PER_YEAR

_KM = units.BASES.index("km")


@dataclass(frozen=True)
class Leg:
    """One step of a path (a link, a sea service or a node passage), per tonne of cargo."""

    id: str
    kind: str  # "link", "service" or "node"
    mode: str  # rail, road, sea, pipeline, ferry, or the node kind
    hours: float
    usd: float  # money per tonne
    co2: float  # tCO2 per tonne
    km: float
    wait_hours: float = 0.0  # part of hours spent waiting (for a vessel, at a border …)


def per_tonne(fig: Figure | None, cargo: CargoClass, km: float = 0.0) -> float:
    """A per-cargo figure per tonne; per-km figures are multiplied by ``km``."""
    if fig is None:
        return 0.0
    value = cargo_units.per_tonne(fig, cargo)
    if fig.parsed.dim[_KM] == -1:
        value *= km
    return value


def link_leg(link: Link, cargo: CargoClass) -> Leg:
    km = link.distance.to("km")
    if link.time is not None:
        hours = link.time.to("h")
    else:
        assert link.speed is not None  # a link has a speed or a time (checked on load)
        hours = km / link.speed.to("km/h")
    tariff = link.tariffs.get(cargo.id, link.tariff)
    return Leg(link.id, "link", link.mode.value, hours, per_tonne(tariff, cargo, km),
               per_tonne(link.co2, cargo, km), km)


def service_leg(net: Network, service: SeaService, cargo: CargoClass,
                wait_hours: float | None = None) -> Leg:
    """Sailing time with the fleets' mean speed, port time at both ends, and the expected
    wait for a departure: by default half the mean interval between sailings (no congestion)."""
    fleets = net.fleets_of(service.id)
    km = service.distance.to("km")
    caps = [fleet_capacity(net, f) for f in fleets]
    sailings = sum(c.sailings_per_year for c in caps)
    if sailings <= 0:  # no vessel in service: the service cannot be used
        return Leg(service.id, "service", "sea", float("inf"), 0.0, 0.0, km, float("inf"))
    weights = [c.sailings_per_year / sailings for c in caps] if sailings > 0 else []
    speed = sum(w * f.speed.to("km/h") for w, f in zip(weights, fleets, strict=True))
    port = sum(w * f.port_time.to("h") for w, f in zip(weights, fleets, strict=True))
    if wait_hours is None:
        wait_hours = 0.5 * HOURS_PER_YEAR / sailings if sailings > 0 else float("inf")
    hours = (km / speed if speed > 0 else float("inf")) + 2.0 * port + wait_hours
    tariff = service.tariffs.get(cargo.id, service.tariff)
    return Leg(service.id, "service", "sea", hours, per_tonne(tariff, cargo, km),
               per_tonne(service.co2, cargo, km), km, wait_hours)


def node_leg(node: Node, cargo: CargoClass) -> Leg:
    """Passing through a node: dwell, border clearance and gauge change."""
    hours = node.dwell.to("h") if node.dwell else 0.0
    usd = per_tonne(node.handling_cost, cargo)
    wait = 0.0
    if node.border is not None:
        wait = node.border.time.to("h")
        hours += wait
        usd += per_tonne(node.border.cost, cargo)
    if node.gauge_change is not None:
        hours += node.gauge_change.time.to("h")
        usd += per_tonne(node.gauge_change.cost, cargo)
    return Leg(node.id, "node", node.kind.value, hours, usd, 0.0, 0.0, wait)


def generalized(leg: Leg, net: Network, cargo: CargoClass) -> float:
    """USD per tonne of a leg: money + value of time × hours + carbon price × CO2."""
    p = net.parameters
    vot = cargo_units.per_tonne(cargo.value_of_time, cargo) * p.vot_scale.to("1")
    return leg.usd + vot * leg.hours + p.co2_price.to("USD/tCO2") * leg.co2


def allowed(cargo_ids: list[str], cargo: CargoClass) -> bool:
    return "*" in cargo_ids or cargo.id in cargo_ids
