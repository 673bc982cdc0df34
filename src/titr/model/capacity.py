"""Annual capacities derived from the network: sea services from their fleets, in sailings.

A sea service's capacity is never typed in: it is vessels × round trips a year × load per
sailing × availability (weather closures and technical availability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from titr.model import cargo as cargo_units
from titr.model.figures import Figure
from titr.model.network import Network
from titr.model.schema import CargoClass, Fleet, SeaService
from titr.model.units import HOURS_PER_DAY, HOURS_PER_YEAR


@dataclass(frozen=True)
class FleetCapacity:
    fleet: str
    service: str
    vessels: float
    round_trip_h: float
    availability: float
    sailings_per_year: float  # one direction


def weather_closed_share(net: Network, area_id: str | None) -> float:
    """Share of the year a weather area is closed: expected storm hours plus ice days."""
    if area_id is None or area_id not in net.weather:
        return 0.0
    area = net.weather[area_id]
    hours = 0.0
    if area.storms is not None:
        hours += area.storms.events_per_year.to("1/yr") * area.storms.mean_duration.to("h")
    if area.ice is not None:
        hours += area.ice.closed_days() * HOURS_PER_DAY
    return min(hours / HOURS_PER_YEAR, 0.95)


def round_trip_hours(service: SeaService, fleet: Fleet) -> float:
    sail = service.distance.to("km") / fleet.speed.to("km/h")
    return 2.0 * sail + 2.0 * fleet.port_time.to("h")


def fleet_capacity(net: Network, fleet: Fleet) -> FleetCapacity:
    """The fleet's capacity in this year's network (worked out once a network)."""
    kept = net.derived.get(("fleet capacity", fleet.id))
    if kept is not None and kept[0] is fleet:
        return kept[1]
    out = _fleet_capacity(net, fleet)
    net.derived[("fleet capacity", fleet.id)] = (fleet, out)
    return out


def _fleet_capacity(net: Network, fleet: Fleet) -> FleetCapacity:
    service = net.services[fleet.service]
    technical = (fleet.availability or net.parameters.technical_availability).to("1")
    closed = max(weather_closed_share(net, service.weather),
                 weather_closed_share(net, net.nodes[service.from_].weather),
                 weather_closed_share(net, net.nodes[service.to].weather))
    availability = technical * (1.0 - closed)
    rt = round_trip_hours(service, fleet)
    vessels = fleet.vessels.to("vessels")
    return FleetCapacity(fleet.id, service.id, vessels, rt, availability,
                         vessels * HOURS_PER_YEAR * availability / rt)


def tonnes_per_sailing(fleet: Fleet, cargo: CargoClass) -> float:
    """The load of one sailing if it carried only this cargo class (the best-fitting
    alternative of the fleet's capacity list); 0 when no alternative fits the class."""
    best = 0.0
    for cap in fleet.capacity:
        if cargo_units.convertible(cargo, cap.unit):
            best = max(best, cargo_units.to_base_tonnes(cap, cargo))
    return best


def service_sailings(net: Network, service_id: str) -> float:
    """Sailings a year, one direction, of all fleets on a service."""
    return sum(fleet_capacity(net, f).sailings_per_year for f in net.fleets_of(service_id))


def service_tonnes(net: Network, service_id: str, cargo_id: str) -> float:
    """Annual one-way capacity in tonnes if the service carried only this cargo class."""
    cargo = net.cargo[cargo_id]
    return sum(fleet_capacity(net, f).sailings_per_year * tonnes_per_sailing(f, cargo)
               for f in net.fleets_of(service_id))


def station_servers(servers: Figure | None, capacity: Figure | None,
                    mean_h: float) -> int | None:
    """Parallel servers of a border post or gauge-change station: as given, or what a
    capacity counted in trains implies at this mean time per train (Little's law: trains an
    hour × hours each); None when neither is known (no limit)."""
    if servers is not None:
        return max(1, round(servers.value))
    if capacity is not None and "train" in capacity.parsed.counters() and mean_h > 0:
        return max(1, math.ceil(capacity.to("trains/h") * mean_h))
    return None
