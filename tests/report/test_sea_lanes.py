"""Sea legs are drawn along sea lanes, not straight across land; waypoints draw any line."""

from __future__ import annotations

import itertools

import pytest

from titr.model import load
from titr.model.geometry import line_of
from titr.report.geo import country_at

LatLon = tuple[float, float]


def _dense(points: list[LatLon], per_segment: int = 25) -> list[LatLon]:
    out = []
    for (a, b), (c, d) in itertools.pairwise(points):
        out += [(a + (c - a) * i / per_segment, b + (d - b) * i / per_segment)
                for i in range(per_segment)]
    return [*out, points[-1]]


def _on_land(points: list[LatLon]) -> list[str]:
    # the first and last 5 % are the ports themselves, on the coast
    k = max(1, len(points) // 20)
    return [f["properties"]["name"] for lat, lon in points[k:-k] if (f := country_at(lon, lat))]


@pytest.mark.parametrize(("item", "crossed"), [
    ("aktau-alat-ferry", "Azerbaijan"),  # the Absheron peninsula
    ("shanghai-suez", "China"),
    ("cape-rotterdam", "Namibia"),
])
def test_sea_legs_keep_to_the_sea(item: str, crossed: str) -> None:
    net = load("middle-corridor").network(2030)
    it = net.services.get(item) or net.links[item]
    a, b = net.nodes[it.from_], net.nodes[it.to]
    assert crossed in _on_land(_dense([(a.lat, a.lon), (b.lat, b.lon)]))  # a straight line would
    lane = line_of(it, net.nodes)
    assert lane[0] == (a.lat, a.lon) and lane[-1] == (b.lat, b.lon)
    assert _on_land(_dense(lane)) == []


def test_waypoints_are_drawn_in_order() -> None:
    sc = load("tests/fixtures/tiny.toml").with_overrides(
        {"links.a-b.waypoints": [[10.0, 20.0], [11.0, 21.0]]})
    net = sc.network(2022)
    a, b = net.nodes["a"], net.nodes["b"]
    assert line_of(net.links["a-b"], net.nodes) == [(a.lat, a.lon), (10.0, 20.0), (11.0, 21.0),
                                                     (b.lat, b.lon)]
    assert line_of(net.links["b-z"], net.nodes) == [(b.lat, b.lon), (net.nodes["z"].lat,
                                                                      net.nodes["z"].lon)]
