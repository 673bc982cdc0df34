"""The experiment file: which scenario, which parameters over which values, which design.

An experiment is a TOML file (the built-in example is
``titr/data/experiments/ferries-storms-demand-2030.toml``)::

    name = "ferries-storms-demand-2030"
    scenario = "middle-corridor"        # a built-in scenario or a path (relative to this file)
    years = [2030]
    design = "full-factorial"           # or "latin-hypercube" / "monte-carlo" with points = N
    replications = 10                   # simulation replications per design point
    seed = 2030
    outputs = ["focus_t", "unserved_t", "p90_days", "vessel_wait_mean_h"]
    sensitivity = ["focus_t", "p90_days:<corridor>/container"]
    set = { "parameters.market_scale" = 1.0 }     # fixed overrides for every point

    [[parameters]]
    name = "ferries"
    path = "fleets.<fleet id>.vessels"  # any --set path; "*" in the id position = every item
    values = [1, 2, 4]                  # a list of values, or ...

    [[parameters]]
    name = "storms"
    path = "weather.<sea area>.storms.events_per_year"
    low = 1                             # ... a range: sampled designs draw from it; a
    high = 6                            # full-factorial design takes ``levels`` even steps
    levels = 3

    [[parameters]]
    name = "growth"
    path = "demand.*.growth"
    relative = true                     # values are factors on each item's base figure
    values = [0.5, 1, 2]

Parsing checks the file on its own (this module); :mod:`titr.experiments.resolve` then checks it
against the base scenario. Every problem is a :class:`~titr.model.errors.TitrError` naming the
file, the field and the fix.
"""

from __future__ import annotations

import math
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from titr.experiments.outputs import OUTPUTS, check_selector
from titr.model.errors import Problem, TitrError
from titr.model.files import lines_of, read_toml, regular_file
from titr.model.loader import MAX_PROBLEMS, fix_for
from titr.model.units import DAYS_PER_YEAR

DESIGNS = ("full-factorial", "latin-hypercube", "monte-carlo")
Design = Literal["full-factorial", "latin-hypercube", "monte-carlo"]
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Value = bool | int | float | str


class Parameter(BaseModel):
    """One varied scenario field: its ``--set`` path and its values or range."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=3, description="a --set path; '*' as the id = every item")
    name: str | None = Field(None, pattern=NAME_PATTERN, description="a short label")
    values: list[Value] | None = Field(None, description="the values (or factors) to try")
    low: float | None = Field(None, description="lower end of a range")
    high: float | None = Field(None, description="upper end of a range")
    levels: int | None = Field(None, ge=2, le=1000,
                               description="even steps of a range in a full-factorial design")
    relative: bool = Field(False, description="values/range are factors on the base figure")
    integer: bool | None = Field(None, description="round range values to whole numbers "
                                                   "(default: when low and high are integers)")

    @field_validator("values")
    @classmethod
    def _some(cls, v: list[Value] | None) -> list[Value] | None:
        if v is not None and not v:
            raise ValueError("the list of values is empty; give at least one value")
        return v

    @model_validator(mode="before")
    @classmethod
    def _integer_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("integer") is None and "low" in data:
            ints = [isinstance(data.get(k), int) and not isinstance(data.get(k), bool)
                    for k in ("low", "high")]
            data = {**data, "integer": all(ints) and not data.get("relative", False)}
        return data

    @model_validator(mode="after")
    def _values_or_range(self) -> Parameter:
        ranged = self.low is not None or self.high is not None
        if self.values is not None and ranged:
            raise ValueError("give values or low/high, not both; keep one of them")
        if self.values is None and not ranged:
            raise ValueError("no values; give values = [...] or low = … and high = …")
        if ranged:
            if self.low is None or self.high is None:
                raise ValueError("a range needs both low and high; add the missing end")
            if not self.low < self.high:
                raise ValueError(f"the range {self.low:g}…{self.high:g} is empty; "
                                 "make low smaller than high (or give values = [x])")
        if self.levels is not None and not ranged:
            raise ValueError("levels applies to a range only; remove it or give low/high")
        if self.relative and self.values is not None and not all(
                _number(v) for v in self.values):
            raise ValueError("relative values must be numbers (factors on the base figure); "
                             "write e.g. values = [0.5, 1, 2]")
        return self

    @property
    def label(self) -> str:
        return self.name or self.path

    @property
    def ranged(self) -> bool:
        return self.values is None


class Experiment(BaseModel):
    """A sweep: the base scenario, the years, the parameters, the design and what to keep."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    scenario: str = Field("middle-corridor", description="built-in scenario name or TOML path")
    set: dict[str, Value] = Field(default_factory=dict,
                                  description="fixed --set overrides applied to every point")
    years: list[int] = Field(min_length=1)
    design: Design = "full-factorial"
    points: int | None = Field(None, ge=1, description="design points of a sampled design")
    replications: int = Field(1, ge=1, le=100_000)
    seed: int = Field(0, ge=0)
    warmup_days: float = Field(30.0, ge=0, le=DAYS_PER_YEAR)
    drain_days: float = Field(90.0, ge=0, le=DAYS_PER_YEAR)
    outputs: list[str] = Field(default_factory=lambda: list(OUTPUTS), min_length=1)
    sensitivity: list[str] = Field(
        default_factory=lambda: ["p90_days", "focus_t", "unserved_t"])
    parameters: list[Parameter] = Field(
        default_factory=list, description="none: one point, the scenario as it is")

    @field_validator("years", mode="before")
    @classmethod
    def _one_year(cls, v: Any) -> Any:
        return [v] if isinstance(v, int) else v

    @field_validator("outputs")
    @classmethod
    def _known_outputs(cls, v: list[str]) -> list[str]:
        unknown = [o for o in v if o not in OUTPUTS]
        if unknown:
            raise ValueError(f"unknown output {unknown[0]!r}; use some of: {', '.join(OUTPUTS)}")
        return list(dict.fromkeys(v))

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.parameters]


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


# ---- reading a file ------------------------------------------------------------------------
def builtin_dir() -> Path:
    return Path(str(resources.files("titr.data"))) / "experiments"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def experiment_path(name_or_path: str | Path) -> Path:
    """A built-in experiment's name or a file path → the file."""
    text = str(name_or_path)
    if text in builtin_names():
        return builtin_dir() / f"{text}.toml"
    return regular_file(Path(text), "experiment", "give a TOML file path or a built-in "
                        f"experiment ({', '.join(builtin_names())})")


def read_experiment(name_or_path: str | Path) -> tuple[Experiment, Path]:
    """Read and check an experiment file on its own (not yet against the scenario)."""
    path = experiment_path(name_or_path)
    raw = read_toml(path, "experiment")
    try:
        exp = Experiment.model_validate(raw)
    except ValidationError as e:
        errors = e.errors()
        raise TitrError([_problem(err, raw, str(path)) for err in errors[:MAX_PROBLEMS]]
                        + ([Problem(str(path), "", f"… and {len(errors) - MAX_PROBLEMS} more "
                                    "problems", "fix those above first")]
                           if len(errors) > MAX_PROBLEMS else [])) from None
    problems = consistency(exp, str(path))
    if problems:
        raise TitrError(problems)
    return exp, path


def consistency(exp: Experiment, file: str = "") -> list[Problem]:
    """Checks across fields: the design and its parameters, duplicates, sensitivity targets."""
    out: list[Problem] = []
    if exp.design == "full-factorial":
        if exp.points is not None:
            out.append(Problem(file, "points", "points applies to latin-hypercube and "
                               "monte-carlo designs", "remove it (a full factorial runs every "
                               "combination) or choose a sampled design",
                               _line_of(file, "points")))
        for p in exp.parameters:
            if p.ranged and p.levels is None:
                out.append(Problem(file, f"parameters[{p.label}].levels", "a range in a "
                                   "full-factorial design needs a number of levels",
                                   "add levels = N (even steps from low to high) or give values"))
    elif exp.points is None:
        out.append(Problem(file, "points", f"a {exp.design} design needs a number of points",
                           "add points = N", _line_of(file, "design")))
    if exp.design != "full-factorial" and not exp.parameters:
        out.append(Problem(file, "parameters", f"a {exp.design} design needs parameters to "
                           "sample", "add [[parameters]], or use design = \"full-factorial\" "
                           "for replications of the scenario as it is"))
    for attr in ("label", "path"):
        seen = [getattr(p, attr) for p in exp.parameters]
        dup = next((x for x in seen if seen.count(x) > 1), None)
        if dup is not None:
            out.append(Problem(file, f"parameters[{dup}]", f"{dup!r} appears twice",
                               "vary each field once, under one name"))
    for sel in exp.sensitivity:
        try:
            check_selector(sel, exp.outputs)
        except ValueError as e:
            what, _, fix = str(e).partition("; ")
            out.append(Problem(file, "sensitivity", what, fix, _line_of(file, "sensitivity")))
    return out


def _problem(err: Any, raw: dict[str, Any], file: str) -> Problem:
    where, node = "", raw
    for part in err["loc"]:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            label = (node.get("name") or node.get("path")) if isinstance(node, dict) else None
            where += f"[{label or part}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None  # type: ignore[assignment]
            where += f".{part}" if where else str(part)
    msg = str(err["msg"]).removeprefix("Value error, ")
    fix = ""
    value = err.get("input")
    if err["type"] == "extra_forbidden":
        msg, fix = "unknown field", "remove it or check its spelling (see titr.experiments.spec)"
    elif isinstance(value, float) and not math.isfinite(value):
        msg, fix = f"{value} is not a finite number", "give a number"
    elif "; " in msg:
        msg, fix = msg.split("; ", 1)
    line = _line_of(file, where)
    return Problem(file, where or "experiment", msg, fix or fix_for(err), line)


def _line_of(file: str, where: str) -> int | None:
    """The line of a top-level field's key in the file (fields inside a parameter are named
    by the parameter instead)."""
    key = where.split(".")[0]
    if not key or "[" in where:
        return None
    lines = lines_of(file)
    pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((i + 1 for i, t in enumerate(lines) if pat.search(t)), None)
