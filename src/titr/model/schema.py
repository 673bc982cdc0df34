"""The scenario's items: nodes, links, sea services and fleets, weather, cargo, demand, projects.

These pydantic models check each item on its own (types, units, signs). Checks that need the
whole scenario (ids that must exist, sources that must resolve) live in
:mod:`titr.model.checks`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from titr.model.figures import (
    Availability,
    CargoAmount,
    CargoFlow,
    CO2Intensity,
    CO2Price,
    Conversion,
    Count,
    Duration,
    Figure,
    Fraction,
    Growth,
    Length,
    LogitScale,
    NestScale,
    Penalty,
    PositiveDuration,
    Rate,
    SourceList,
    Speed,
    Tariff,
    ValueOfTime,
    Vessels,
    one_or_many,
)
from titr.model.units import DAYS_PER_YEAR

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=ID_PATTERN, description="lower-case id: letters, digits, '-'")
    name: str = ""
    note: str | None = None


class NodeKind(StrEnum):
    zone = "zone"
    rail_station = "rail-station"
    junction = "junction"
    border = "border"
    port = "port"
    dry_port = "dry-port"
    oil_terminal = "oil-terminal"


class Mode(StrEnum):
    rail = "rail"
    road = "road"
    sea = "sea"
    pipeline = "pipeline"


class Handling(BaseModel):
    """A handling capacity at a node, shared by the cargo classes it names ("*" = all)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    cargo: list[str] = ["*"]
    capacity: CargoFlow


class BorderCrossing(BaseModel):
    """A border crossing point: mean time to clear, its spread, cost and capacity."""

    model_config = ConfigDict(extra="forbid")
    time: Duration
    time_cv: Fraction | None = None
    cost: Tariff | None = None
    capacity: CargoFlow | None = None
    servers: Count | None = None


class GaugeChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_gauge: Literal[1435, 1520]
    to_gauge: Literal[1435, 1520]
    time: Duration
    cost: Tariff | None = None
    capacity: CargoFlow | None = None


class Node(Item):
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    kind: NodeKind
    weather: str | None = Field(None, description="weather area whose closures stop this port")
    dwell: Duration | None = Field(None, description="mean time a unit spends passing through")
    dwell_cv: Fraction | None = None
    handling_cost: Tariff | None = None
    handling: list[Handling] = []
    berths: Count | None = None
    border: BorderCrossing | None = None
    gauge_change: GaugeChange | None = None


# Map geometry only (distances stay as given): points a line passes between its ends. Sea legs
# without them follow the sea lanes (titr.model.geometry).
LatLon = tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]]
Waypoints = list[LatLon]
WAYPOINTS = ("map only: points [lat, lon] the line passes between its ends; sea legs without "
             "them follow the sea lanes")


class Link(Item):
    from_: str = Field(alias="from")
    to: str
    mode: Mode
    distance: Length
    speed: Speed | None = None
    time: PositiveDuration | None = Field(None, description="fixed time; instead of a speed")
    capacity: CargoFlow | None = None
    tariff: Tariff | None = None
    tariffs: dict[str, Tariff] = Field({}, description="per cargo class, overrides tariff")
    co2: CO2Intensity | None = None
    gauge: Literal[1435, 1520] | None = None
    cargo: list[str] = ["*"]
    bidirectional: bool = True
    operator: str | None = None
    waypoints: Waypoints = Field([], description=WAYPOINTS)

    @model_validator(mode="after")
    def _speed_or_time(self) -> Link:
        if (self.speed is None) == (self.time is None):
            raise ValueError("give exactly one of speed or time")
        return self


class SeaService(Item):
    """A line across a sea link, run by one or more fleets (see :class:`Fleet`)."""

    from_: str = Field(alias="from")
    to: str
    kind: Literal["rail-ferry", "ro-pax", "ro-ro", "container-feeder", "tanker", "general-cargo"]
    distance: Length
    cargo: list[str]
    weather: str | None = Field(None, description="sea area whose storms stop sailings")
    departure: Literal["when-full", "schedule"] = "when-full"
    headway: PositiveDuration | None = Field(None, description="time between scheduled sailings")
    min_load: Fraction | None = Field(None, description="share of a full load needed to sail")
    tariff: Tariff | None = None
    tariffs: dict[str, Tariff] = {}
    co2: CO2Intensity | None = None
    bidirectional: bool = True
    waypoints: Waypoints = Field([], description=WAYPOINTS)

    @model_validator(mode="after")
    def _schedule_has_headway(self) -> SeaService:
        if self.departure == "schedule" and self.headway is None:
            raise ValueError("a scheduled service needs a headway")
        return self


class Fleet(Item):
    service: str
    operator: str | None = None
    vessels: Vessels
    capacity: Annotated[list[CargoAmount], BeforeValidator(one_or_many)] = Field(
        description="load per sailing; several entries are alternatives (wagons OR trucks)"
    )
    speed: Speed
    port_time: Duration = Field(description="time at berth per port call")
    availability: Availability | None = Field(None, description="share of time in service")

    @field_validator("capacity")
    @classmethod
    def _not_empty(cls, v: list[Figure]) -> list[Figure]:
        if not v:
            raise ValueError("give at least one load per sailing")
        return v


class Storms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events_per_year: Rate
    mean_duration: PositiveDuration
    months: list[int] = Field(list(range(1, 13)), description="months in which storms occur")

    @field_validator("months")
    @classmethod
    def _months(cls, v: list[int]) -> list[int]:
        if not v or any(m < 1 or m > 12 for m in v):
            raise ValueError("months must be numbers 1 to 12")
        return v


class Ice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: str = Field(pattern=r"^\d{2}-\d{2}$", description="MM-DD")
    end: str = Field(pattern=r"^\d{2}-\d{2}$", description="MM-DD")
    source: list[str] = []
    assumption: str | None = None

    def closed_days(self) -> int:
        s, e = _day_of_year(self.start), _day_of_year(self.end)
        return (e - s) % int(DAYS_PER_YEAR) + 1


def _day_of_year(mmdd: str) -> int:
    month, day = (int(p) for p in mmdd.split("-"))
    return sum((31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[: month - 1]) + day


class WeatherArea(Item):
    storms: Storms | None = None
    ice: Ice | None = None


class CargoClass(Item):
    per: dict[str, Conversion] = Field(
        {}, description="conversions: TEU, wagon, truck, train as t/…; bbl as bbl/t"
    )
    value_of_time: ValueOfTime
    unserved_cost: Penalty | None = Field(
        None, description="USD/t of not carrying a tonne of this class on its corridor: the "
        "extra cost of its real alternative (next route, trucking); demand items may override")


class DemandPoint(Figure):
    year: int
    known_from: int | None = Field(None, description="year the figure was published (a plan "
                                   "or forecast); backtests drop points not known by then")


class GrowthDriver(BaseModel):
    """What a demand item's growth rests on (trade, GDP, a contract), with its source."""

    model_config = ConfigDict(extra="forbid")
    name: str
    value: Growth


class Demand(Item):
    origin: str
    destination: str
    cargo: str
    kind: Literal["contestable", "captive"]
    corridor: str | None = Field(None, description="for captive cargo: the corridor it must use")
    priority: bool = Field(
        False, description="captive cargo carried ahead of the rest (e.g. under the railways' "
        "agreed plans): a preload the assignment leaves unserved only if it alone exceeds a "
        "capacity")
    volume: list[DemandPoint]
    growth: Growth | None = Field(None, description="growth after the last given year")
    growth_drivers: list[GrowthDriver] = []
    basis: Literal["latent", "carried"] = Field(
        "latent", description="latent: what would move if capacity were there")
    known_from: int | None = Field(None, description="year the flow was known (backtests)")
    unserved_cost: Penalty | None = Field(
        None, description="USD/t of not carrying a tonne on its corridor: the extra cost of "
        "its real alternative; overrides the cargo class's")
    alternative: str | None = Field(None, description="what that alternative is")

    @field_validator("volume")
    @classmethod
    def _points(cls, v: list[DemandPoint]) -> list[DemandPoint]:
        if not v:
            raise ValueError("give at least one volume point")
        years = [p.year for p in v]
        if len(set(years)) != len(years):
            raise ValueError("volume years repeat")
        return sorted(v, key=lambda p: p.year)


class Corridor(Item):
    via: list[str] = Field(description="ids a path must use to belong to this corridor")
    group: str = Field(pattern=ID_PATTERN, description="family: middle, northern, sea")
    color: str = "#888888"


class CorridorGroup(Item):
    """A family of corridors, a nest of the route choice: shippers first choose the group,
    then a corridor inside it. ``nest_scale`` μ in (0, 1]: 1 is a plain logit over all
    corridors; the smaller, the closer substitutes the group's corridors are."""

    nest_scale: NestScale | None = None
    focus: bool = Field(False, description="the group the assessment is about (totals' "
                        "focus_share, focus_days)")
    color: str = "#888888"


def _value_kind(v: Any) -> str:
    if isinstance(v, Figure) or (isinstance(v, dict) and "value" in v):
        return "(figure)"
    if isinstance(v, dict):
        return "(table)"
    if isinstance(v, bool):
        return "(flag)"
    return "(number)" if isinstance(v, int | float) else "(text)"


# What a change sets: a figure ({ value, unit, source }), a table (a border, a gauge change),
# text, true/false or a whole number. The form is chosen from the value itself, so a figure
# without its source is refused as a figure rather than taken for a table.
ChangeValue = Annotated[
    Annotated[Figure, Tag("(figure)")] | Annotated[dict[str, Any], Tag("(table)")] |
    Annotated[bool, Tag("(flag)")] | Annotated[int, Tag("(number)")] |
    Annotated[str, Tag("(text)")],
    Discriminator(_value_kind)]


class Change(BaseModel):
    """One change a project makes: set a field, add an item, remove it, or increase a figure."""

    model_config = ConfigDict(extra="forbid")
    op: Literal["set", "add", "remove", "increase"]
    target: str | None = Field(None, description="collection.id[.field…], e.g. links.x.capacity")
    value: ChangeValue | None = None
    collection: str | None = Field(None, description="for add: nodes, links, fleets …")
    item: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _shape(self) -> Change:
        need = {"set": ("target", "value"), "increase": ("target", "value"),
                "remove": ("target",), "add": ("collection", "item")}[self.op]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"op = {self.op!r} needs {' and '.join(missing)}; add it")
        if self.op == "increase" and not isinstance(self.value, Figure):
            raise ValueError("op = 'increase' needs a figure; write value = { value = …, "
                             "unit = \"…\", source = \"…\" }")
        return self


class Project(Item):
    year: int
    known_from: int | None = Field(None, description="year it was announced (backtests); "
                                   "default: its year")
    status: Literal["completed", "under-construction", "planned", "announced"] = "planned"
    source: SourceList = []
    assumption: str | None = None
    description: str = ""
    changes: list[Change]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    title: str
    publisher: str = ""
    date: str = ""
    url: str = ""


class Parameters(BaseModel):
    """The model's free parameters; calibration fits some of them."""

    model_config = ConfigDict(extra="forbid")
    logit_scale: LogitScale
    market_scale: Fraction
    vot_scale: Fraction
    co2_price: CO2Price
    unserved_penalty: Penalty
    technical_availability: Availability
