"""What a scenario studies: its corridor of interest, the crossing whose volume is the headline,
the default origin–destination pair, and the levers the dashboard offers.

The generic code names no corridor: titles, headline measures and levers come from here, so a
scenario of another corridor (the North–South corridor, a Baltic one) reads in its own words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID = r"^[a-z0-9][a-z0-9-]*$"
KEY = r"^[a-z][a-z0-9_]{0,39}$"

# Without a study block: the group "middle" (titr's first scenarios) is the focus, and the
# headline reads in neutral words.
DEFAULT_FOCUS_GROUP = "middle"
DEFAULT_NAME = "Focus corridor"
DEFAULT_FOCUS_LABEL = "across the focus crossing"


class Lever(BaseModel):
    """A figure the dashboard lets the user change: a ``--set`` path with its range.

    ``applies = "every-year"`` overrides the figure for the whole horizon (weather, prices);
    ``"from-year"`` sets it from the what-if year on, replacing what later projects would do
    to it (a fleet, a port's capacity)."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY, description="the lever's name in the API, e.g. ferries")
    label: str = Field(min_length=1, max_length=80, description="words on the page")
    path: str = Field(min_length=3, description="the figure it sets, e.g. fleets.x.vessels")
    unit: str = Field(description="the figure's unit, e.g. vessels, TEU/yr, 1/yr")
    min: float
    max: float
    step: float = Field(gt=0)
    integer: bool = Field(False, description="whole numbers only (vessels, berths)")
    applies: Literal["every-year", "from-year"] = "every-year"

    @model_validator(mode="after")
    def _range(self) -> Lever:
        if not self.min < self.max:
            raise ValueError(f"min {self.min:g} is not below max {self.max:g}; swap them")
        return self


class Study(BaseModel):
    """The ``[study]`` block of a scenario."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="what is studied, for titles: Middle Corridor")
    focus_group: str = Field(pattern=ID, description="the corridor group whose share of the "
                             "contestable cargo and whose days are the headline")
    focus: list[str] = Field(min_length=1, description="links or sea services whose carried "
                             "volume is the headline (the focus crossing)")
    focus_label: str = Field(min_length=1, max_length=60, description="words for that "
                             "volume: 'across the strait'")
    default_origin: str | None = Field(None, pattern=ID, description="titr routes' default")
    default_destination: str | None = Field(None, pattern=ID)
    levers: list[Lever] = []

    @model_validator(mode="after")
    def _keys(self) -> Study:
        keys = [lv.key for lv in self.levers]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"lever keys repeat: {', '.join(twice)}; give each its own key")
        return self
