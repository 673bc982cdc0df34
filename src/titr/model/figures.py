"""Figures: a number with its unit and its source (or the reason it is an assumption).

Every numeric field of a scenario is a :class:`Figure`. Fields declare what kind of quantity
they hold (a length, a cargo flow, a tariff …) with one of the ``Annotated`` aliases below, so a
figure in a unit that does not fit (barrels for a distance) is refused when the file is read.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    field_validator,
    model_validator,
)

from titr.model import units


def one_or_many(v: Any) -> Any:
    """Let a list field be written as a single value (``source = "TAG"``)."""
    return [v] if isinstance(v, str | dict) else v


SourceList = Annotated[list[str], BeforeValidator(one_or_many)]


class Figure(BaseModel):
    """A value with a unit, and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    unit: str
    source: SourceList = []
    assumption: str | None = None
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, v: str) -> str:
        try:
            units.parse(v)
        except units.UnitError as e:
            raise ValueError(str(e)) from None
        return v

    @model_validator(mode="after")
    def _sourced(self) -> Figure:
        if not self.source and self.assumption is not None and not self.assumption.strip():
            raise ValueError("the assumption is empty; say why this value was taken, or give "
                             "source = \"TAG\" instead")
        if not self.source and not (self.assumption and self.assumption.strip()):
            raise ValueError(
                "figure has no source; add source = \"TAG\" (a tag from the scenario's sources) "
                "or assumption = \"why this value\""
            )
        return self

    def to(self, unit: str) -> float:
        """This figure's value in another unit of the same dimension."""
        return units.convert(self.value, self.unit, unit)

    @property
    def parsed(self) -> units.Unit:
        """The figure's unit, parsed (scale and dimension)."""
        return units.parse(self.unit)

    def replaced(self, value: float, why: str) -> Figure:
        """The same figure with a new value, marked as an assumption (e.g. a --set override)."""
        return Figure(value=value, unit=self.unit, assumption=why, note=self.note)


def _kind(name: str, examples: tuple[str, ...], positive: bool = False,
          nonnegative: bool = False, at_most_one: bool = False) -> AfterValidator:
    parsed = [units.parse(e) for e in examples]

    def check(f: Figure) -> Figure:
        u = f.parsed
        if not any(u.fits(p) for p in parsed):
            raise ValueError(
                f"unit {f.unit!r} does not fit {name}; use a unit like {' or '.join(examples)}"
            )
        if positive and f.value <= 0:
            raise ValueError(f"{name} must be greater than zero (got {f.value:g}); give a "
                             "positive value, or remove the item")
        if at_most_one and f.to("1") > 1:
            raise ValueError(f"{name} must be at most 1 (100 %) (got {f.value:g} {f.unit}); "
                             "give a share between 0 and 1")
        if nonnegative and f.value < 0:
            raise ValueError(f"{name} must not be negative (got {f.value:g}); give zero or "
                             "a positive value")
        return f

    return AfterValidator(check)


_CARGO_FLOWS = ("t/yr", "TEU/yr", "wagons/yr", "trucks/yr", "trains/day", "bbl/d")
_CARGO_AMOUNTS = ("t", "TEU", "wagons", "trucks", "trains", "bbl")
_TARIFFS = ("USD/t", "USD/TEU", "USD/wagon", "USD/truck", "USD/train", "USD/bbl",
            "USD/t/km", "USD/TEU/km", "USD/wagon/km", "USD/truck/km", "USD/bbl/km")
_CO2 = ("gCO2/t/km", "gCO2/TEU/km", "kgCO2/t", "kgCO2/TEU")

Length = Annotated[Figure, _kind("a distance", ("km",), positive=True)]
Duration = Annotated[Figure, _kind("a duration", ("h", "d"), nonnegative=True)]
PositiveDuration = Annotated[Figure, _kind("a duration", ("h", "d"), positive=True)]
Speed = Annotated[Figure, _kind("a speed", ("km/h", "km/d", "kn"), positive=True)]
CargoFlow = Annotated[Figure, _kind("a cargo flow", _CARGO_FLOWS, positive=True)]
DemandFlow = Annotated[Figure, _kind("a cargo flow", _CARGO_FLOWS, nonnegative=True)]
CargoAmount = Annotated[Figure, _kind("a load per sailing", _CARGO_AMOUNTS, positive=True)]
Tariff = Annotated[Figure, _kind("a tariff", _TARIFFS, nonnegative=True)]
CO2Intensity = Annotated[Figure, _kind("an emission intensity", _CO2, nonnegative=True)]
ValueOfTime = Annotated[Figure, _kind("a value of time", ("USD/t/h", "USD/TEU/h"),
                                      nonnegative=True)]
CO2Price = Annotated[Figure, _kind("a carbon price", ("USD/tCO2",), nonnegative=True)]
Money = Annotated[Figure, _kind("an amount of money", ("USD",), nonnegative=True)]
Count = Annotated[Figure, _kind("a count", ("1", "vessels"), positive=True)]
Vessels = Annotated[Figure, _kind("a number of vessels", ("vessels",), nonnegative=True)]
Fraction = Annotated[Figure, _kind("a share", ("1", "%", "d/yr"), nonnegative=True)]
Availability = Annotated[Figure, _kind("an availability", ("1", "%"), positive=True,
                                       at_most_one=True)]
NestScale = Annotated[Figure, _kind("a nest scale", ("1",), positive=True, at_most_one=True)]
Rate = Annotated[Figure, _kind("a rate per year", ("1/yr",), nonnegative=True)]
Growth = Annotated[Figure, _kind("a growth rate", ("%/yr",))]
LogitScale = Annotated[Figure, _kind("a logit scale", ("1/USD",), positive=True)]
Penalty = Annotated[Figure, _kind("a penalty per tonne", ("USD/t",), nonnegative=True)]
Conversion = Annotated[Figure, _kind("a conversion factor",
                                     ("t/TEU", "t/wagon", "t/truck", "t/train", "bbl/t"),
                                     positive=True)]
