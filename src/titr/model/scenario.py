"""The scenario: every item of the corridor description, and the network it gives as of a year."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from titr.model import overview
from titr.model.events import Event
from titr.model.figures import Figure
from titr.model.schema import (
    CargoClass,
    Corridor,
    CorridorGroup,
    Demand,
    Fleet,
    Link,
    Node,
    Parameters,
    Project,
    SeaService,
    Source,
    WeatherArea,
)
from titr.model.study import DEFAULT_FOCUS_GROUP, DEFAULT_FOCUS_LABEL, DEFAULT_NAME, Study

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from titr.model.network import Network

T = TypeVar("T")

# Collections addressable by --set and project changes, with their singular aliases.
COLLECTIONS = ("nodes", "links", "sea_services", "fleets", "weather", "cargo", "demand",
               "corridors", "corridor_groups", "projects", "events", "observed")
ALIASES = {"node": "nodes", "link": "links", "service": "sea_services",
           "sea_service": "sea_services", "services": "sea_services", "fleet": "fleets",
           "corridor": "corridors", "project": "projects", "cargo_class": "cargo",
           "event": "events", "corridor_group": "corridor_groups", "group": "corridor_groups"}


class Observation(BaseModel):
    """An observed figure to calibrate against or to judge the model by.

    ``via`` names the links, sea services or nodes whose flows add up to the observed quantity
    (e.g. the sea services of a crossing's tonnage); ``cargo`` limits it to some classes.
    Transit days name a corridor and an origin–destination pair instead; a share names a
    corridor or a corridor group (its share of the contestable pool). ``set`` keeps the
    observations the parameters are fitted on apart from those that only judge the model.
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    quantity: Literal["tonnes", "teu", "transit-days", "share"]
    year: int
    value: Figure
    set: Literal["fit", "validation"] = "fit"
    scope: Literal["corridor", "port", "line", "group"] = "corridor"
    known_from: int | None = Field(None, description="year the figure was published")
    via: list[str] = []
    cargo: list[str] = ["*"]
    corridor: str | None = None
    origin: str | None = None
    destination: str | None = None
    weight: float = Field(1.0, ge=0)
    note: str | None = None


class Scenario(BaseModel):
    """A corridor description: its items, sources, free parameters and observed figures.

    Read one with :func:`titr.load` (a built-in name or a TOML file, see the scenario format);
    :meth:`network` gives the network as of a year, :meth:`with_overrides` and :meth:`without`
    give changed copies. A scenario is validated when it is built and not changed afterwards.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    description: str = ""
    extends: str | None = None
    first_year: int = Field(ge=1990, le=2100)
    last_year: int = Field(ge=1990, le=2100)
    seed: int = 0
    parameters: Parameters
    sources: list[Source] = []
    cargo: list[CargoClass] = []
    nodes: list[Node] = []
    links: list[Link] = []
    sea_services: list[SeaService] = []
    fleets: list[Fleet] = []
    weather: list[WeatherArea] = []
    corridors: list[Corridor] = []
    corridor_groups: list[CorridorGroup] = []
    demand: list[Demand] = []
    projects: list[Project] = []
    events: list[Event] = []
    observed: list[Observation] = []
    study: Study | None = None

    _path: str = PrivateAttr(default="")
    # What is derived from the scenario, in one place: ``_shared`` holds what is keyed by
    # content or by the very objects it was built from (networks by the projects open, legs,
    # graphs and path sets, see routing.cache), so copies made by ``without`` share it;
    # ``_memo`` holds what belongs to this scenario alone (e.g. its sources table).
    _shared: dict[str, Any] = PrivateAttr(default_factory=dict)
    _memo: _Memo = PrivateAttr(default_factory=lambda: _Memo(None))

    @model_validator(mode="after")
    def _horizon(self) -> Scenario:
        if self.last_year < self.first_year:
            raise ValueError("last_year is before first_year")
        return self

    # --- display: a few lines, not every item (see titr.model.overview) -------------------
    def __repr__(self) -> str:
        return overview.text("Scenario", self.id, overview.scenario_facts(self))

    __str__ = __repr__

    def _repr_html_(self) -> str:
        return overview.html_table("Scenario", self.id, overview.scenario_facts(self))

    # --- access -------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The file the scenario was read from (``""`` for one built in memory)."""
        return self._path

    @property
    def years(self) -> range:
        """The horizon: ``first_year`` to ``last_year``, both included."""
        return range(self.first_year, self.last_year + 1)

    def items(self, collection: str) -> list[Any]:
        """The items of a collection (``"links"``, or a singular alias such as ``"link"``)."""
        return list(getattr(self, ALIASES.get(collection, collection)))

    def by_id(self, collection: str) -> dict[str, Any]:
        """The items of a collection, keyed by their ids."""
        return {it.id: it for it in self.items(collection)}

    def project(self, project_id: str) -> Project:
        """The project with this id; raises ``TitrError`` listing the known ids if none."""
        for p in self.projects:
            if p.id == project_id:
                return p
        from titr.model.errors import fail

        raise fail(f"unknown project {project_id!r}", where="projects",
                   fix=f"use one of: {', '.join(p.id for p in self.projects)}", file=self.path)

    def events_in(self, year: int) -> list[Event]:
        """The events in force in ``year``, by start."""
        return sorted((e for e in self.events if e.active(year)), key=lambda e: e.start)

    @property
    def focus_group(self) -> str:
        """The corridor group the study is about (its share and days are the headline): the
        study's, or a corridor group marked ``focus``, or else the group called "middle"."""
        if self.study:
            return self.study.focus_group
        marked = [g.id for g in self.corridor_groups if g.focus]
        return marked[0] if marked else DEFAULT_FOCUS_GROUP

    def focus_ids(self) -> set[str]:
        """The links and sea services whose carried volume is the headline: the study's focus,
        or else those the tonnage observations add up, or else every sea service."""
        if self.study:
            return set(self.study.focus)
        arcs = {x.id for x in self.links} | {s.id for s in self.sea_services}
        ids = {v for o in self.observed if o.quantity in ("tonnes", "teu") for v in o.via
               if v in arcs}
        return ids or {s.id for s in self.sea_services}

    def study_or_default(self) -> Study:
        """The study block, or one derived from the scenario (focus group and crossing) in
        neutral words, so every face can title its numbers."""
        if self.study is not None:
            return self.study
        return Study(name=DEFAULT_NAME, focus_group=self.focus_group,
                     focus=sorted(self.focus_ids()) or ["none"],
                     focus_label=DEFAULT_FOCUS_LABEL)

    def route_pair(self, origin: str | None, destination: str | None) -> tuple[str, str]:
        """The origin and destination asked for, or the study's defaults where not given."""
        st = self.study
        o = origin or (st.default_origin if st else None)
        d = destination or (st.default_destination if st else None)
        if o is None or d is None:
            from titr.model.errors import fail

            raise fail("no origin or destination given, and the scenario names no default",
                       where="--from/--to", fix="give --from and --to node ids, or add "
                       "default_origin and default_destination to its [study] block",
                       file=self.path)
        return o, d

    def figures(self) -> Iterator[tuple[str, Figure]]:
        """Every figure in the scenario with its field path (projects' changes included);
        walked once (checking, ranges and the sources table all ask)."""
        return iter(self.memo("figures", lambda: _figures_in(self)))

    # --- derived views ------------------------------------------------------------------
    def network_cache(self) -> dict[tuple[str, ...], Any]:
        """Built network items by the projects open (see model.network)."""
        return cast(dict[tuple[str, ...], Any], self._shared.setdefault("networks", {}))

    def share_cache(self, other: Scenario, key: str) -> None:
        """Use ``other``'s entry ``key`` of the shared cache (e.g. routing's legs, graphs and
        path sets, kept by content: a what-if derived from ``other`` reuses what it did not
        change)."""
        if key in other._shared:
            self._shared[key] = other._shared[key]

    def shared_cache(self) -> dict[str, Any]:
        """The cache of things keyed by content or by the objects they were built from (see
        ``_shared``): copies made by :meth:`without` share it."""
        return self._shared

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """A value derived from this scenario alone (e.g. its sources table), built once.

        Scenarios are not changed in place (``without`` and ``with_overrides`` make new ones);
        a copy starts with no memo of its own, since it may differ."""
        if self._memo.owner is not self:  # a model_copy shares the dict: start afresh
            self._memo = _Memo(self)
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])

    def network(self, year: int, without: tuple[str, ...] = ()) -> Network:
        """The network as of ``year``: the base plus every project opened by then."""
        from titr.model.network import build_network

        return build_network(self, year, without)

    def dependents(self, *project_ids: str) -> list[str]:
        """Projects that change items the given projects add (a fleet's later vessels), which
        cannot stand without them — found transitively."""
        dropped, found = set(project_ids), True
        while found:
            added = {(c.collection, str((c.item or {}).get("id"))) for p in self.projects
                     if p.id in dropped for c in p.changes if c.op == "add"}
            found = False
            for p in self.projects:
                if p.id in dropped:
                    continue
                targets = {tuple((c.target or "").split(".")[:2]) for c in p.changes
                           if c.op != "add"}
                if targets & added:
                    dropped.add(p.id)
                    found = True
        return [p.id for p in self.projects if p.id in dropped and p.id not in project_ids]

    def without(self, *project_ids: str) -> Scenario:
        """This scenario with the given projects (or events) dropped, and the projects that
        depend on them (see :meth:`dependents`)."""
        event_ids = {e.id for e in self.events}
        for pid in project_ids:
            if pid not in event_ids:
                self.project(pid)
        gone = set(project_ids) | set(self.dependents(*project_ids))
        clone = self.model_copy(
            update={"projects": [p for p in self.projects if p.id not in gone],
                    "events": [e for e in self.events if e.id not in gone]})
        clone._path = self._path
        return clone

    def with_overrides(self, assignments: dict[str, Any] | list[str]) -> Scenario:
        """A copy with ``--set``-style overrides applied (``{"fleets.x.vessels": 10}``)."""
        from titr.model.overrides import apply_overrides

        return apply_overrides(self, assignments)


class _Memo(dict[str, Any]):
    """What :meth:`Scenario.memo` keeps, and for which scenario object. Derived values are
    no part of what a scenario is: memos are equal whatever they hold (so two scenarios are
    equal by their content alone, and comparing them never walks back into themselves)."""

    def __init__(self, owner: Any) -> None:
        super().__init__()
        self.owner = owner

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Memo)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, _Memo)

    __hash__ = None


def _figures_in(obj: Any, path: str = "") -> list[tuple[str, Figure]]:
    """``list(_walk(obj, path))``, collected into one list as it goes (no generator at every
    level for every figure to pass through)."""
    out: list[tuple[str, Figure]] = []
    _collect(obj, path, out)
    return out


def _collect(obj: Any, path: str, out: list[tuple[str, Figure]]) -> None:
    if isinstance(obj, Figure):
        out.append((path, obj))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if value is not None and not isinstance(value, str | int | float | bool):
                _collect(value, f"{path}.{name}" if path else name, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            label = getattr(v, "id", None) or (v.get("id") if isinstance(v, dict) else None)
            _collect(v, f"{path}[{label if label is not None else i}]", out)
    elif isinstance(obj, dict):
        out.extend(_walk(obj, path))


def _walk(obj: Any, path: str) -> Iterator[tuple[str, Figure]]:
    if isinstance(obj, Figure):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            label = getattr(v, "id", None) or (v.get("id") if isinstance(v, dict) else None)
            yield from _walk(v, f"{path}[{label if label is not None else i}]")
    elif isinstance(obj, dict):
        if {"value", "unit"} <= obj.keys():
            try:
                yield path, Figure.model_validate(obj)
            except ValueError as e:  # checked when the scenario was read; listed without it
                log.debug("%s is not a figure (%s); not listed", path, type(e).__name__)
            return
        for k, v in obj.items():
            yield from _walk(v, f"{path}.{k}")
