"""Demand as of a year: volume points interpolated, grown after the last point, in tonnes."""

from __future__ import annotations

from dataclasses import dataclass

from titr.model import cargo as cargo_units
from titr.model.schema import CargoClass, Demand


@dataclass(frozen=True)
class DemandRow:
    id: str
    origin: str
    destination: str
    cargo: str
    kind: str
    corridor: str | None
    tonnes: float  # per year
    units: float  # per year, in the unit the demand was given in (TEU, t, bbl …)
    unit: str
    unserved_cost: float | None = None  # USD/t extra of its real alternative, if given
    alternative: str = ""  # what that alternative is, and its sources
    priority: bool = False  # carried ahead of the rest (a preload), see schema.Demand


def volume_in(demand: Demand, cargo: CargoClass, year: int) -> float:
    """Tonnes per year: linear between given years, flat before the first, grown after the last."""
    pts = demand.volume
    values = [cargo_units.per_year_tonnes(p, cargo) for p in pts]
    if year <= pts[0].year:
        return values[0]
    for (p0, v0), (p1, v1) in zip(zip(pts, values, strict=True), zip(pts[1:], values[1:],
                                                                          strict=True),
                                  strict=False):
        if p0.year <= year <= p1.year:
            return v0 + (v1 - v0) * (year - p0.year) / (p1.year - p0.year)
    growth = demand.growth.to("1/yr") if demand.growth else 0.0
    return values[-1] * (1.0 + growth) ** (year - pts[-1].year)


def demand_rows(demands: list[Demand], cargo: dict[str, CargoClass], year: int,
                market_scale: float = 1.0) -> list[DemandRow]:
    """Every demand item's volume in a year; contestable volumes scaled by ``market_scale``."""
    rows = []
    for d in demands:
        c = cargo[d.cargo]
        tonnes = volume_in(d, c, year)
        if d.kind == "contestable":
            tonnes *= market_scale
        unit = d.volume[0].unit.split("/")[0]
        per_unit = cargo_units.per_year_tonnes(
            d.volume[0].model_copy(update={"value": 1.0}), c)
        cost = d.unserved_cost or c.unserved_cost
        alternative = ""
        if cost is not None:
            tags = ", ".join(cost.source) or f"assumption: {cost.assumption}"
            alternative = f"{d.alternative or cost.note or 'alternative'} [{tags}]"
        rows.append(DemandRow(d.id, d.origin, d.destination, d.cargo, d.kind, d.corridor,
                              tonnes, tonnes / per_unit, unit,
                              cost.to("USD/t") if cost is not None else None, alternative,
                              d.priority))
    return rows
