"""Units: the one place where unit strings are parsed and converted.

A unit is a product of atoms with integer powers, written like ``USD/t/km``, ``TEU/yr``,
``trains/day`` or ``gCO2/t/km``. Each atom has a scale and a base dimension; two units fit
each other when their base dimensions are equal. Cargo counting atoms (TEU, wagon, truck,
train, bbl) are dimensions of their own: turning them into tonnes needs a cargo class and
goes through :mod:`titr.model.cargo`.

Base units: km, h, t, USD, tCO2, and one per cargo counter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Time: the one place for hours in a day and in a (365-day) year; the rest of titr imports them.
HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY  # 8760
DAYS_PER_MONTH = DAYS_PER_YEAR / 12  # a mean month

# The base dimensions, in a fixed order.
BASES = ("km", "h", "t", "USD", "tCO2", "TEU", "wagon", "truck", "train", "bbl", "vessel",
         "sailing")
CARGO_COUNTERS = ("TEU", "wagon", "truck", "train", "bbl")

Dim = tuple[int, ...]


def _dim(**powers: int) -> Dim:
    return tuple(powers.get(b, 0) for b in BASES)


# atom -> (scale to base, dimension)
_ATOMS: dict[str, tuple[float, Dim]] = {
    # length
    "km": (1.0, _dim(km=1)),
    "m": (1e-3, _dim(km=1)),
    "nmi": (1.852, _dim(km=1)),
    # time
    "h": (1.0, _dim(h=1)),
    "min": (1 / 60, _dim(h=1)),
    "d": (HOURS_PER_DAY, _dim(h=1)),
    "day": (HOURS_PER_DAY, _dim(h=1)),
    "days": (HOURS_PER_DAY, _dim(h=1)),
    "wk": (7 * HOURS_PER_DAY, _dim(h=1)),
    "month": (HOURS_PER_YEAR / 12, _dim(h=1)),
    "yr": (HOURS_PER_YEAR, _dim(h=1)),
    "year": (HOURS_PER_YEAR, _dim(h=1)),
    # speed in knots is an atom of its own
    "kn": (1.852, _dim(km=1, h=-1)),
    # cargo mass
    "kg": (1e-3, _dim(t=1)),
    "t": (1.0, _dim(t=1)),
    "kt": (1e3, _dim(t=1)),
    "Mt": (1e6, _dim(t=1)),
    # money
    "USD": (1.0, _dim(USD=1)),
    "kUSD": (1e3, _dim(USD=1)),
    "MUSD": (1e6, _dim(USD=1)),
    # emissions
    "gCO2": (1e-6, _dim(tCO2=1)),
    "kgCO2": (1e-3, _dim(tCO2=1)),
    "tCO2": (1.0, _dim(tCO2=1)),
    # cargo counters
    "TEU": (1.0, _dim(TEU=1)),
    "FEU": (2.0, _dim(TEU=1)),
    "wagon": (1.0, _dim(wagon=1)),
    "wagons": (1.0, _dim(wagon=1)),
    "truck": (1.0, _dim(truck=1)),
    "trucks": (1.0, _dim(truck=1)),
    "train": (1.0, _dim(train=1)),
    "trains": (1.0, _dim(train=1)),
    "bbl": (1.0, _dim(bbl=1)),
    "kbbl": (1e3, _dim(bbl=1)),
    "Mbbl": (1e6, _dim(bbl=1)),
    # fleets
    "vessel": (1.0, _dim(vessel=1)),
    "vessels": (1.0, _dim(vessel=1)),
    "sailing": (1.0, _dim(sailing=1)),
    "sailings": (1.0, _dim(sailing=1)),
    # dimensionless
    "1": (1.0, _dim()),
    "%": (0.01, _dim()),
}

_TOKEN = re.compile(r"\s*([*/])?\s*([A-Za-z0-9%]+)(?:\^(-?\d+))?")


class UnitError(ValueError):
    """A unit string that cannot be parsed, or a conversion between units that do not fit."""


@dataclass(frozen=True)
class Unit:
    text: str
    scale: float  # multiply a value in this unit by scale to get base units
    dim: Dim

    def fits(self, other: Unit) -> bool:
        return self.dim == other.dim

    def counters(self) -> set[str]:
        """The cargo counters this unit uses (TEU, wagon, ...), with any power."""
        return {b for b, p in zip(BASES, self.dim, strict=True) if p and b in CARGO_COUNTERS}


@lru_cache(maxsize=1024)
def parse(text: str) -> Unit:
    """Parse ``"USD/t/km"`` into a :class:`Unit`. Raises :class:`UnitError`."""
    if not text or not text.strip():
        raise UnitError("empty unit")
    pos, scale, dim = 0, 1.0, [0] * len(BASES)
    first = True
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise UnitError(f"cannot read unit {text!r} at {text[pos:]!r}")
        op, atom, power = m.group(1), m.group(2), int(m.group(3) or 1)
        if op is None and not first:
            raise UnitError(f"cannot read unit {text!r}: missing '/' or '*' before {atom!r}")
        if atom not in _ATOMS:
            raise UnitError(f"unknown unit {atom!r} in {text!r}; known: {', '.join(known_atoms())}")
        sign = -1 if op == "/" else 1
        a_scale, a_dim = _ATOMS[atom]
        scale *= a_scale ** (sign * power)
        for i, p in enumerate(a_dim):
            dim[i] += sign * power * p
        pos, first = m.end(), False
    return Unit(text, scale, tuple(dim))


def known_atoms() -> list[str]:
    return sorted(_ATOMS)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a value between two units that fit each other."""
    a_scale, b_scale = _scales(from_unit, to_unit)
    return value * a_scale / b_scale


@lru_cache(maxsize=4096)
def _scales(from_unit: str, to_unit: str) -> tuple[float, float]:
    """The scales of two units that fit each other (checked once a pair)."""
    a, b = parse(from_unit), parse(to_unit)
    if not a.fits(b):
        raise UnitError(f"{from_unit!r} does not convert to {to_unit!r}")
    return a.scale, b.scale


def fits(unit: str, example: str) -> bool:
    """True when ``unit`` has the dimension of ``example`` (e.g. fits("Mt/yr", "t/h"))."""
    return parse(unit).fits(parse(example))


def describe(dim: Dim) -> str:
    """A readable form of a dimension, e.g. ``USD t^-1 km^-1``."""
    parts = [f"{b}" if p == 1 else f"{b}^{p}" for b, p in zip(BASES, dim, strict=True) if p]
    return " ".join(parts) or "dimensionless"
