"""The JSON the service reads and writes: pydantic models, so every request is validated and the
OpenAPI schema (``/openapi.json``) documents every field, bound and response.

Scenarios are addressed by built-in name only; nothing a client sends becomes a file path.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from titr.model.columns import spec
from titr.web.limits import MAX_REPLICATIONS, MAX_SEED, MAX_SWEEP_VALUES, MAX_YEARS

MAX_STUDY_LEVERS = 20

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ScenarioName = Annotated[str, Field(
    pattern=ID_PATTERN, description="a built-in scenario (see GET /api/scenarios)",
    examples=["middle-corridor"])]
Year = Annotated[int, Field(ge=1990, le=2100, description="a calendar year in the scenario's "
                            "horizon", examples=[2026])]
Label = Annotated[str, Field(max_length=80, description="a name for the run, shown on the "
                             "page (optional)")]
LeverKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="a lever's "
                                "key: market_factor, co2_price, or one of the scenario's own "
                                "(GET /api/scenarios/{name}: levers with study = true)")]
JobState = Literal["queued", "running", "done", "failed", "cancelled"]
Table = list[dict[str, Any]]
# rows of the registry's tables (titr.model.columns): the OpenAPI schema documents each column
TotalsRow = spec("assessment.totals").row_model
VolumesRow = spec("dashboard.volumes").row_model
# the tables of finished jobs, by name
JOB_TABLES = {"kpis": spec("dashboard.sim_kpis"), "port_waits": spec("dashboard.port_waits"),
              "kpis_long": spec("simulation.kpis"), "cpmm": spec("simulation.cpmm"),
              "points": spec("dashboard.sweep_points")}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Levers(Strict):
    """What-if changes to a scenario. A lever left out (null) keeps the scenario's plan."""

    from_year: Year | None = Field(
        None, description="the what-if year: the ferries, the port capacity and the closure "
        "apply from this year on and replace the projects planned after it (default 2026, "
        "or the scenario's first year)")
    market_factor: float | None = Field(
        None, ge=0.1, le=5, description="size of the contestable China–Europe market as a "
        "factor on the scenario's calibrated one (parameters.market_scale × factor), every "
        "year")
    co2_price: float | None = Field(
        None, ge=0, le=1000, description="carbon price, USD per tonne of CO2 "
        "(parameters.co2_price), every year")
    closed_corridor: str | None = Field(
        None, pattern=ID_PATTERN, description="a competing corridor closed from the what-if "
        "year (e.g. northern): its aggregate links are removed, so shippers choose among "
        "the others")
    study: dict[LeverKey, float] = Field(
        default_factory=dict, max_length=MAX_STUDY_LEVERS, description="the scenario's own "
        "levers (its [study] block), key → value in the lever's unit; each is checked against "
        "the lever's range (GET /api/scenarios/{name})")

    def given(self) -> dict[str, Any]:
        """The levers set: fields not null, and the study levers given."""
        out = self.model_dump(exclude_none=True)
        if not out.get("study"):
            out.pop("study", None)
        return out

    def varied(self, key: str, value: float) -> Levers:
        """A copy with one lever set: a field of its own, or one of the study's."""
        if key in ("market_factor", "co2_price"):
            return self.model_copy(update={key: value})
        return self.model_copy(update={"study": {**self.study, key: value}})


class YearSpan(Strict):
    first_year: Year | None = Field(None, description="first year to assess (default: the "
                                    "scenario's first)")
    last_year: Year | None = Field(None, description="last year to assess (default: the "
                                   "scenario's last)")

    @model_validator(mode="after")
    def _order(self) -> YearSpan:
        if self.first_year is not None and self.last_year is not None:
            if self.last_year < self.first_year:
                raise ValueError(f"last_year {self.last_year} is before first_year "
                                 f"{self.first_year}; swap them")
            if self.last_year - self.first_year + 1 > MAX_YEARS:
                raise ValueError(f"{self.last_year - self.first_year + 1} years is more than "
                                 f"{MAX_YEARS}; ask for fewer years")
        return self


class AssessmentRequest(YearSpan):
    """Assess a built-in scenario with levers, year by year (synchronous, ~1–2 s)."""

    scenario: ScenarioName = "middle-corridor"
    levers: Levers = Field(default_factory=Levers)
    label: Label = ""


class SimulationRequest(Strict):
    """Simulate one year of operations on the year's assigned flows (a background job)."""

    scenario: ScenarioName = "middle-corridor"
    year: Year = 2026
    replications: int = Field(5, ge=1, le=MAX_REPLICATIONS,
                              description="independent replications")
    seed: int | None = Field(None, ge=0, le=MAX_SEED,
                             description="random seed (default: the scenario's)")
    levers: Levers = Field(default_factory=Levers)
    label: Label = ""


class SweepRequest(YearSpan):
    """Assess the scenario once for each value of one lever (a background job)."""

    scenario: ScenarioName = "middle-corridor"
    vary: LeverKey = Field(description="the lever to vary")
    values: list[float] = Field(min_length=1, max_length=MAX_SWEEP_VALUES,
                                description="the lever's values, one assessment each")
    levers: Levers = Field(default_factory=Levers, description="the other levers, fixed")
    label: Label = ""

    @model_validator(mode="after")
    def _values_fit(self) -> SweepRequest:
        # the two levers of every scenario are bounded here; a study lever by its scenario's
        # range when the job is checked
        info = Levers.model_fields.get(self.vary)
        low = high = None
        for m in info.metadata if info is not None else []:
            low = getattr(m, "ge", low)
            high = getattr(m, "le", high)
        for i, v in enumerate(self.values):
            if (low is not None and v < low) or (high is not None and v > high):
                raise ValueError(f"values[{i}] = {v:g} is outside {low}–{high} for {self.vary}; "
                                 "give values inside that range")
        if len(set(self.values)) != len(self.values):
            raise ValueError("values repeat; give each value once")
        return self


# ---- responses -------------------------------------------------------------------------------
class Problem(BaseModel):
    field: str = Field(description="the field at fault, e.g. body.levers.co2_price")
    message: str = Field(description="what is wrong")
    fix: str = Field("", description="how to fix it")


class ErrorBody(BaseModel):
    error: str = Field(description="the kind of error, e.g. 'invalid request'")
    problems: list[Problem]


class ScenarioInfo(BaseModel):
    id: str
    name: str
    description: str
    first_year: int
    last_year: int


class LeverOption(BaseModel):
    id: str
    name: str


class LeverInfo(BaseModel):
    key: str
    label: str
    unit: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    base: float | None = Field(None, description="the scenario's value in the what-if year")
    planned: str = Field("", description="what the scenario plans for it")
    applies: str = Field(description="'from the what-if year' or 'every year'")
    target: str = Field(description="the scenario field it changes")
    options: list[LeverOption] | None = None
    integer: bool = Field(False, description="whole numbers only")
    study: bool = Field(False, description="one of the scenario's own levers: send it in "
                        "levers.study")


class StudyWords(BaseModel):
    """What the scenario studies, in its own words (its [study] block), for titles."""

    study_name: str = Field(description="what is studied, e.g. 'Middle Corridor'")
    focus_label: str = Field(description="the headline volume's words, e.g. 'across the "
                             "strait'")
    focus_group: str = Field(description="corridor group whose share and days are the headline")


class ScenarioSummary(ScenarioInfo):
    study: StudyWords
    counts: dict[str, int]
    projects: Table
    corridors: Table
    default_from_year: int
    levers: list[LeverInfo]


class Downloads(BaseModel):
    csv: dict[str, str] = Field(description="table name → URL of its CSV")
    geojson: str | None = None
    duckdb: str


class AssessmentOut(BaseModel):
    id: str
    scenario: str
    label: str
    years: list[int]
    levers: dict[str, Any]
    seconds: float
    cached: bool = Field(description="computed for an identical earlier request (finished or "
                         "still running), not for this one")
    totals: list[TotalsRow] = Field(  # type: ignore[valid-type]
        description="one row a year: the assessment's totals")
    volumes: list[VolumesRow] = Field(  # type: ignore[valid-type]
        description="tonnes and TEU by year and corridor")
    view: str = Field(description="URL of the report page of this run")
    downloads: Downloads


class RunRef(BaseModel):
    id: str
    scenario: str
    label: str
    levers: dict[str, Any]
    years: list[int]
    created: float


class JobOut(BaseModel):
    id: str
    kind: Literal["simulation", "sweep"]
    state: JobState
    progress: float = Field(ge=0, le=1)
    message: str
    label: str
    request: dict[str, Any]
    created: float
    started: float | None = None
    finished: float | None = None
    error: ErrorBody | None = None
    result: dict[str, Table] | None = Field(None, description="tables of a finished job")
    downloads: Downloads | None = None


class CompareRow(BaseModel):
    year: int
    metric: str
    a: float | None
    b: float | None
    diff: float | None = Field(description="B − A")


class CompareOut(BaseModel):
    a: RunRef
    b: RunRef
    levers: Table = Field(description="levers that differ: lever, a, b")
    rows: list[CompareRow]
    view: str
