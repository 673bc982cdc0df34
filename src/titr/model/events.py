"""Events: shocks that are not investments (sanctions, the Red Sea crisis, closures).

An event changes the network like a project does, but only while it lasts: from ``start`` to
``end`` (both included), or for a duration drawn from a triangular distribution whose mode is
what a deterministic run uses. ``titr projects`` ranks projects only; events are reported as
the context of each year.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from titr.model.figures import Figure, SourceList
from titr.model.schema import Change, Item


class EventDuration(BaseModel):
    """How many years an event lasts, as a triangular distribution (min ≤ mode ≤ max)."""

    model_config = ConfigDict(extra="forbid")
    min: int = Field(ge=1)
    mode: int = Field(ge=1)
    max: int = Field(ge=1)
    source: SourceList = Field(default_factory=list)
    assumption: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> EventDuration:
        if not self.min <= self.mode <= self.max:
            raise ValueError("give min <= mode <= max (years)")
        if not self.source and not self.assumption:
            raise ValueError("duration has no source; add source = \"TAG\" or "
                             "assumption = \"why\"")
        return self


class Avoidance(BaseModel):
    """A segment of shippers who will not use a corridor group while the event lasts (a
    mixed logit with two segments): ``share`` of every contestable item chooses among the
    other groups only; the rest choose as before. Shippers differ in their aversion to
    sanctions risk, so the group keeps the risk-tolerant segment instead of switching off on
    a knife edge of one price premium."""

    model_config = ConfigDict(extra="forbid")
    group: str = Field(description="corridor group the segment avoids")
    share: Figure = Field(description="share of contestable shippers avoiding it, unit 1")

    @model_validator(mode="after")
    def _fraction(self) -> Avoidance:
        if not 0.0 <= self.share.to("1") < 1.0:
            raise ValueError("share must be in [0, 1) (unit 1)")
        return self


class Event(Item):
    start: int = Field(description="first year in force")
    end: int | None = Field(None, description="last year in force (included); none: to the "
                            "horizon, unless a duration is given")
    duration: EventDuration | None = None
    known_from: int | None = Field(None, description="year it was known (backtests); "
                                   "default: its start")
    source: SourceList = Field(default_factory=list)
    assumption: str | None = None
    description: str = ""
    changes: list[Change] = Field(default_factory=list)
    avoided: list[Avoidance] = Field(default_factory=list, description="shipper segments "
                                     "that avoid a corridor group while the event lasts")

    @model_validator(mode="after")
    def _span(self) -> Event:
        if self.end is not None and self.duration is not None:
            raise ValueError("give end or duration, not both")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def last_year(self) -> int | None:
        """The last year in force in a deterministic run (None: open-ended)."""
        if self.end is not None:
            return self.end
        if self.duration is not None:
            return self.start + self.duration.mode - 1
        return None

    def active(self, year: int) -> bool:
        last = self.last_year
        return self.start <= year and (last is None or year <= last)
