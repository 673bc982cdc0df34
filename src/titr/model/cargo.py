"""Cargo conversions: the one place where TEU, wagons, trucks, trains and barrels become tonnes."""

from __future__ import annotations

from titr.model import units
from titr.model.errors import fail
from titr.model.figures import Figure
from titr.model.schema import CargoClass
from titr.model.units import HOURS_PER_YEAR


def tonnes_per(cargo: CargoClass, counter: str) -> float:
    """Tonnes in one ``counter`` (TEU, wagon, truck, train, bbl) of this cargo class."""
    conv = cargo.per.get(counter)
    if conv is None:
        raise fail(
            f"cargo class {cargo.id!r} has no conversion for {counter}",
            where=f"cargo[{cargo.id}].per",
            fix=f"add per.{counter} to the cargo class, or give the figure in t",
        )
    if counter == "bbl":
        return 1.0 / conv.to("bbl/t")
    return conv.to(f"t/{counter}")


def convertible(cargo: CargoClass, unit: str) -> bool:
    return all(c in cargo.per for c in units.parse(unit).counters())


def to_base_tonnes(figure: Figure, cargo: CargoClass) -> float:
    """A figure whose unit counts cargo (TEU/yr, USD/TEU, gCO2/TEU/km …), re-expressed per or in
    tonnes, in base units of the rest (h, km, USD, tCO2). E.g. 100 TEU/yr → t/h."""
    u = figure.parsed
    value = figure.value * u.scale
    for counter, at in _COUNTERS:
        power = u.dim[at]
        if power:
            value *= tonnes_per(cargo, counter) ** power
    return value


_COUNTERS = [(c, units.BASES.index(c)) for c in units.CARGO_COUNTERS]  # and their dimensions


def per_year_tonnes(figure: Figure, cargo: CargoClass) -> float:
    """A cargo flow figure in tonnes per year."""
    return to_base_tonnes(figure, cargo) * HOURS_PER_YEAR


def per_tonne(figure: Figure, cargo: CargoClass) -> float:
    """A per-cargo figure (USD/TEU, USD/t/km, gCO2/TEU/km …) per tonne, in base units."""
    return to_base_tonnes(figure, cargo)
