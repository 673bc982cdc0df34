"""Where a link or sea service is drawn: from its first node through its waypoints to its last.

Sea legs without waypoints follow the sea lanes of a maritime network (the ``searoute``
package, which ships its network: nothing is fetched), so a ferry rounds a peninsula rather than
Absheron peninsula and the sea route to Rotterdam passes Suez rather than crossing Arabia.
Distances, times and costs never come from here: they are the scenario's figures.
"""

from __future__ import annotations

from functools import lru_cache

from titr.model.schema import Link, Mode, Node, SeaService

LatLon = tuple[float, float]
SEA_MODES = {Mode.sea}


def line_of(item: Link | SeaService, nodes: dict[str, Node]) -> list[LatLon]:
    """The points (lat, lon) of an item's line on the map, its end nodes included."""
    a, b = nodes[item.from_], nodes[item.to]
    ends = (a.lat, a.lon), (b.lat, b.lon)
    if item.waypoints:
        return [ends[0], *((float(lat), float(lon)) for lat, lon in item.waypoints), ends[1]]
    if isinstance(item, SeaService) or item.mode in SEA_MODES:
        return list(sea_lane(*ends))
    return list(ends)


@lru_cache(maxsize=1024)
def sea_lane(start: LatLon, end: LatLon) -> tuple[LatLon, ...]:
    """The shortest sea lane between two points, as (lat, lon), ends exact."""
    import searoute

    route = searoute.searoute([start[1], start[0]], [end[1], end[0]])
    inner = [(float(lat), float(lon)) for lon, lat in route.geometry["coordinates"][1:-1]]
    return (start, *inner, end)
