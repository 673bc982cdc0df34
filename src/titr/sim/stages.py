"""The input of a simulation: routes, each a sequence of stages a unit passes, and a volume.

A :class:`Route` is what the assignment (or a hand-written path, see :mod:`titr.sim.from_paths`)
hands to the simulation: one flow of one cargo class on one path through the network, with its
annual volume in simulated units. Units arrive at the route's origin as a Poisson process (of
``batch``-unit block trains, or one by one) and pass the stages in order:

- :class:`Haul` — a rail, road or pipeline link: a travel time ``distance / speed`` with the speed
  drawn per train (lognormal, ``speed_cv``); no capacity limit. Counted as moving time.
- :class:`Dwell` — a pure delay at a node (yard, terminal handling); lognormal.
- :class:`Server` — a station with ``servers`` parallel servers and one FIFO queue: a border
  crossing point (``kind="border"``), a gauge-change transshipment (``"gauge"``) or another
  terminal. Servers are shared by every route whose stage has the same :attr:`Server.key`.
- :class:`Sea` — a sea service of the network: wait at the port for a vessel, load, sail,
  unload. Shared by every route that uses the service.

Times are in hours; a train (``batch`` units, or after a sea crossing the units of one route on
one sailing) moves as one customer through legs, dwells and ``per="group"`` servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Part = Literal["vessel_wait", "border", "transship", "moving"]
PARTS: tuple[Part, ...] = ("vessel_wait", "border", "transship", "moving")


@dataclass(frozen=True)
class Haul:
    """A link travelled at a random speed (km/h, lognormal around ``speed_kmh``)."""

    id: str
    distance_km: float
    speed_kmh: float
    speed_cv: float = 0.0
    mode: str = "rail"

    def __post_init__(self) -> None:
        if self.distance_km < 0 or self.speed_kmh <= 0 or self.speed_cv < 0:
            raise ValueError(f"leg {self.id!r}: distance >= 0, speed > 0 and cv >= 0 needed")


@dataclass(frozen=True)
class Dwell:
    """A pure delay at a node: mean hours and coefficient of variation (lognormal)."""

    node: str
    mean_h: float
    cv: float = 0.0
    part: Part = "transship"

    def __post_init__(self) -> None:
        if self.mean_h < 0 or self.cv < 0:
            raise ValueError(f"dwell at {self.node!r}: mean and cv must not be negative")


@dataclass(frozen=True)
class Server:
    """A station of parallel servers with one FIFO queue (a border, a gauge change …).

    ``servers=None`` means no limit (a pure delay). ``open_hours=(8, 20)`` lets services start
    only between 08:00 and 20:00 each day. ``per="group"`` serves a train (or a sailing's
    units) as one customer; ``per="unit"`` serves each unit on its own.
    """

    node: str
    kind: Literal["border", "gauge", "terminal"]
    mean_h: float
    cv: float = 0.5
    servers: int | None = None
    open_hours: tuple[float, float] | None = None
    per: Literal["group", "unit"] = "group"
    direction: str = ""

    def __post_init__(self) -> None:
        if self.mean_h < 0 or self.cv < 0:
            raise ValueError(f"{self.kind} at {self.node!r}: mean and cv must not be negative")
        if self.servers is not None and self.servers < 1:
            raise ValueError(f"{self.kind} at {self.node!r}: servers must be at least 1")

    @property
    def key(self) -> str:
        """Stages with the same key share the servers and the queue."""
        return f"{self.kind}:{self.node}" + (f":{self.direction}" if self.direction else "")

    @property
    def part(self) -> Part:
        return "border" if self.kind == "border" else "transship"


@dataclass(frozen=True)
class Sea:
    """A crossing on a sea service of the network; ``reverse`` sails from its ``to`` port."""

    service: str
    reverse: bool = False

    @property
    def key(self) -> str:
        return f"sea:{self.service}"


Stage = Haul | Dwell | Server | Sea


@dataclass(frozen=True)
class Route:
    """One flow on one path: its stages and its volume in simulated units a year.

    ``unit`` is what one simulated unit counts (``TEU``, ``wagon``, ``truck``, ``t`` …) and
    ``unit_size`` how many of those it holds (e.g. a 1,000 t oil parcel: ``unit="t"``,
    ``unit_size=1000``). ``batch`` units arrive together (a block train). ``seasonality``: 12
    monthly factors of the arrival rate (their mean should be 1).
    """

    id: str
    stages: tuple[Stage, ...]
    units_per_year: float
    cargo: str = ""
    corridor: str = ""
    unit: str = "TEU"
    unit_size: float = 1.0
    batch: int = 1
    seasonality: tuple[float, ...] | None = None
    distance_km: float | None = None  # door to door; None: legs plus sea crossings

    def __post_init__(self) -> None:
        if not self.stages:
            raise ValueError(f"route {self.id!r} has no stages")
        if self.units_per_year < 0 or self.unit_size <= 0 or self.batch < 1:
            raise ValueError(f"route {self.id!r}: units_per_year >= 0, unit_size > 0 and "
                             "batch >= 1 needed")
        if self.seasonality is not None and (
                len(self.seasonality) != 12 or min(self.seasonality) < 0
                or max(self.seasonality) <= 0):
            raise ValueError(f"route {self.id!r}: seasonality needs 12 factors >= 0")
        object.__setattr__(self, "stages", tuple(self.stages))
