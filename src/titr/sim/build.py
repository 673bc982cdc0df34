"""From a network (as of a year) and routes to a :class:`~titr.sim.plan.Plan`.

The sea services the routes use become :class:`~titr.sim.plan.SeaLine` objects with their
fleets (vessels, load per sailing, speed, port time), their ports' berths and the weather areas
that stop them (the service's sea area and both ports' areas). How much of a vessel one
simulated unit fills comes from the cargo class's conversions.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from titr.model import cargo as cargo_units
from titr.model import units
from titr.model.errors import TitrError, fail
from titr.model.figures import Figure
from titr.model.network import Network
from titr.model.schema import CargoClass, Fleet, WeatherArea
from titr.sim.calendar import IceSpec, StormSpec, WeatherSpec
from titr.sim.plan import FleetSpec, Plan, SeaLine
from titr.sim.stages import Route, Sea

log = logging.getLogger(__name__)

MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def counter_amount(unit: str, value: float = 1.0) -> tuple[str, float]:
    """``("wagon", 50.0)`` for 50 wagons; ``("TEU", 2.0)`` for 1 FEU; ``("t", 1000.0)`` for 1 kt.

    Raises ``ValueError`` for a unit that counts no cargo.
    """
    u = units.parse(unit)
    counters = u.counters()
    if len(counters) == 1:
        return next(iter(counters)), value * u.scale
    if u.fits(units.parse("t")):
        return "t", value * u.scale
    raise ValueError(f"{unit!r} does not count cargo")


def tonnes_per(cargo: CargoClass | None, counter: str) -> float:
    if counter == "t":
        return 1.0
    if cargo is None:
        raise fail(f"converting {counter} needs a cargo class", where="route.cargo",
                   fix="give the route a cargo class of the network")
    return cargo_units.tonnes_per(cargo, counter)


def unit_need(net: Network, route: Route, fleet: Fleet) -> float:
    """How much of ``fleet``'s first load alternative one unit of ``route`` fills.

    The unit goes into whichever load alternative (wagons, trucks, TEU, t …) it fills least.
    """
    cargo = net.cargo.get(route.cargo)
    counter, size = counter_amount(route.unit, route.unit_size)
    ref_counter, ref_cap = counter_amount(fleet.capacity[0].unit, fleet.capacity[0].value)
    best = None
    for alt in fleet.capacity:
        alt_counter, alt_cap = counter_amount(alt.unit, alt.value)
        if alt_counter == counter:
            share = size / alt_cap
        else:
            try:
                share = size * tonnes_per(cargo, counter) / (alt_cap * tonnes_per(cargo,
                                                                                   alt_counter))
            except TitrError:  # an alternative the cargo cannot be converted to
                log.debug("fleet %s: route %s's %s cannot be counted in %s; that load "
                          "alternative is left out", fleet.id, route.id, counter, alt.unit)
                continue
        best = share if best is None else min(best, share)
    if best is None:
        raise fail(f"route {route.id!r}: a {route.unit} of {route.cargo or 'its cargo'} does not "
                   f"fit fleet {fleet.id!r} (loads in {', '.join(c.unit for c in fleet.capacity)})",
                   where=f"fleets[{fleet.id}].capacity",
                   fix="add a conversion to the cargo class (per.wagon, per.TEU …) or a load "
                       "alternative the cargo fits")
    if ref_counter == counter and best == size / ref_cap:
        return size  # exact: the unit counts in the fleet's own load unit
    return best * ref_cap


def weather_spec(area: WeatherArea) -> WeatherSpec:
    storms = ice = None
    if area.storms is not None:
        storms = StormSpec(area.storms.events_per_year.to("1/yr"),
                           area.storms.mean_duration.to("h"), tuple(area.storms.months))
    if area.ice is not None:
        ice = IceSpec(_day_of_year(area.ice.start), _day_of_year(area.ice.end))
    return WeatherSpec(storms, ice)


def _day_of_year(mmdd: str) -> int:
    month, day = (int(p) for p in mmdd.split("-"))
    return sum(MONTH_DAYS[: month - 1]) + day


def _count(fig: Figure | None) -> int | None:
    return None if fig is None else max(1, round(fig.value))


def sea_line(net: Network, service_id: str, forward: float, reverse: float) -> SeaLine:
    """A sea service as a line; vessels are based where more cargo boards."""
    svc = net.services[service_id]
    fleets = []
    for fleet in net.fleets_of(service_id):
        vessels = round(fleet.vessels.to("vessels"))
        if vessels <= 0:
            log.info("fleet %s of %s rounds to no vessel: not simulated", fleet.id,
                     service_id)
            continue
        counter, cap = counter_amount(fleet.capacity[0].unit, fleet.capacity[0].value)
        sail_h = svc.distance.to("km") / fleet.speed.to("km/h")
        fleets.append(FleetSpec.from_port_time(fleet.id, vessels, cap, sail_h,
                                               fleet.port_time.to("h"), counter))
    if not fleets:
        raise fail(f"sea service {service_id!r} has no vessels in {net.year}",
                   where=f"sea_services[{service_id}]",
                   fix="add a fleet for it, or route the flow another way")
    areas = [a for a in (svc.weather, net.nodes[svc.from_].weather, net.nodes[svc.to].weather)
             if a is not None and a in net.weather]
    min_load = svc.min_load.to("1") if svc.min_load is not None else 1.0
    headway = svc.headway.to("h") if svc.headway is not None else None
    return SeaLine(service_id, svc.from_, svc.to, svc.distance.to("km"), tuple(fleets),
                   svc.departure, headway, min(max(min_load, 0.0), 1.0), svc.bidirectional,
                   tuple(dict.fromkeys(areas)), home_reverse=reverse > forward)


def build_plan(net: Network, routes: Sequence[Route]) -> Plan:
    """The plan that runs ``routes`` on the network's sea services, berths and weather."""
    routes = tuple(routes)
    shares: dict[tuple[int, int], tuple[float, ...]] = {}
    volume: dict[str, list[float]] = {}
    for i, route in enumerate(routes):
        for j, stage in enumerate(route.stages):
            if not isinstance(stage, Sea):
                continue
            if stage.service not in net.services:
                raise fail(f"route {route.id!r}: no sea service {stage.service!r} in "
                           f"{net.year}", where="route.stages",
                           fix="use a sea service id of the network")
            fleets = [f for f in net.fleets_of(stage.service) if round(f.vessels.to("vessels"))]
            shares[(i, j)] = tuple(unit_need(net, route, f) for f in fleets)
            v = volume.setdefault(stage.service, [0.0, 0.0])
            if shares[(i, j)]:
                v[int(stage.reverse)] += route.units_per_year * shares[(i, j)][0]
    lines = {sid: sea_line(net, sid, fwd, rev) for sid, (fwd, rev) in volume.items()}
    berths: dict[str, int | None] = {}
    areas: dict[str, WeatherSpec] = {}
    for line in lines.values():
        for port in (line.from_port, line.to_port):
            berths[port] = _count(net.nodes[port].berths)
        for area in line.weather:
            areas[area] = weather_spec(net.weather[area])
    return Plan(routes, lines, berths, areas, shares)
