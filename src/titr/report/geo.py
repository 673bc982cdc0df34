"""The vendored Natural Earth countries (world-atlas TopoJSON), decoded with the stdlib.

The browser decodes the same file with topojson-client; Python needs it only to find which
countries the corridor crosses (to shade them on the map) and for tests.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

Ring = list[list[float]]


def vendor_text(name: str) -> str:
    return resources.files("titr.report").joinpath("vendor", name).read_text(encoding="utf-8")


@cache
def world_topology() -> dict[str, Any]:
    topo: dict[str, Any] = json.loads(vendor_text("countries-50m.json"))
    return topo


def _arcs(topo: dict[str, Any]) -> list[Ring]:
    tr = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        if tr:  # quantized: delta-encoded integers
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append([x * sx + tx, y * sy + ty])
        else:
            pts = [list(p) for p in arc]
        out.append(pts)
    return out


def _ring(idxs: list[int], arcs: list[Ring]) -> Ring:
    pts: Ring = []
    for i in idxs:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]  # ~i: the arc walked backwards
        pts.extend(a if not pts else a[1:])
    return pts


def _geometry(g: dict[str, Any], arcs: list[Ring]) -> dict[str, Any] | None:
    t = g.get("type")
    if t == "Polygon":
        return {"type": t, "coordinates": [_ring(r, arcs) for r in g["arcs"]]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[_ring(r, arcs) for r in p] for p in g["arcs"]]}
    return None  # world-atlas has a few null geometries


def countries() -> list[dict[str, Any]]:
    """GeoJSON features of the countries: ``id`` is the ISO 3166 numeric code (or None)."""
    topo = world_topology()
    arcs = _arcs(topo)
    return [{"type": "Feature", "id": g.get("id"), "properties": g.get("properties", {}),
             "geometry": _geometry(g, arcs)}
            for g in topo["objects"]["countries"]["geometries"]]


def _inside(lon: float, lat: float, ring: Ring) -> bool:
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def _polygons(geom: dict[str, Any] | None) -> list[list[Ring]]:
    if geom is None:
        return []
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def country_at(lon: float, lat: float) -> dict[str, Any] | None:
    """The country feature containing a point, or None (sea, or just off a coarse coast)."""
    for f in _features():
        for poly in _polygons(f["geometry"]):
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            if not (min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys)):
                continue
            if _inside(lon, lat, poly[0]) and not any(_inside(lon, lat, h) for h in poly[1:]):
                return f
    return None


@cache
def _features() -> tuple[dict[str, Any], ...]:
    return tuple(countries())


def country_ids(points: list[tuple[float, float]]) -> list[str]:
    """The world-atlas ids of the countries containing the (lon, lat) points."""
    ids = {f["id"] for lon, lat in points if (f := country_at(lon, lat)) and f["id"]}
    return sorted(ids)
