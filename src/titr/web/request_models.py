"""The request bodies one server accepts, built from the scenarios it offers (the built-in ones
and any ``titr serve --scenario`` file): per scenario its horizon, the competing corridors it
can close and its own levers with their ranges.

FastAPI validates every POST with these models and writes the OpenAPI schema from them, so the
two cannot disagree: a body is a ``oneOf`` of one model per scenario (chosen by ``scenario``,
the default scenario when it is left out), and a sweep's body one more ``oneOf`` by the lever
it varies. What JSON Schema cannot say with bounds alone — ``last_year`` not before
``first_year`` and at most :data:`MAX_YEARS` years — is spelled out as one ``anyOf`` branch per
first year, next to the validator that checks the same. Numbers are JSON numbers only (strict:
no ``true`` or ``"5"``), as the schema's ``type`` says; an integer may be written 2026.0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import Body
from pydantic import BeforeValidator, ConfigDict, Discriminator, Field, Tag
from typing_extensions import TypedDict

from titr.model import Scenario
from titr.web.levers import competing, offered_levers
from titr.web.limits import MAX_SWEEP_VALUES, MAX_YEARS
from titr.web.schemas import AssessmentRequest, Levers, SimulationRequest, SweepRequest


@dataclass(frozen=True)
class Band:
    """A lever's values: from ``low`` to ``high``, whole numbers only if ``whole``."""

    low: float
    high: float
    whole: bool = False


@dataclass(frozen=True)
class Offer:
    """What one scenario accepts."""

    id: str
    first_year: int
    last_year: int
    corridors: tuple[str, ...]  # competing corridors it can close
    study: tuple[tuple[str, Band], ...]  # its own levers, by key


def offer(sc: Scenario) -> Offer:
    return Offer(sc.id, sc.first_year, sc.last_year, tuple(competing(sc)),
                 tuple((lv.key, Band(lv.min, lv.max, lv.integer)) for lv in offered_levers(sc)))


# ---- strict bases: the generic models, JSON numbers only -----------------------------------
class _Levers(Levers):
    model_config = ConfigDict(strict=True)


class _Assessment(AssessmentRequest):
    model_config = ConfigDict(strict=True)


class _Simulation(SimulationRequest):
    model_config = ConfigDict(strict=True)


class _Sweep(SweepRequest):
    model_config = ConfigDict(strict=True)


def _whole(value: Any) -> Any:
    """A whole JSON number such as 2026.0 is an integer (as in JSON Schema)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _int(low: int, high: int) -> Any:
    """An integer from ``low`` to ``high``, JSON numbers only (the bounds inside, so the
    schema states them as minimum and maximum)."""
    return Annotated[int, Field(ge=low, le=high), BeforeValidator(_whole)]


def _int_field(model: type[Any], field: str) -> tuple[Any, Any]:
    """A generic model's integer field as an :func:`_int` with the same bounds."""
    info, band = model.model_fields[field], _bounds(model, field)
    kind = _int(int(band.low), int(band.high))
    return (kind if info.default is not None else Optional[kind],  # noqa: UP045
            Field(info.default, description=info.description))


def _bounds(model: type[Any], field: str) -> Band:
    info = model.model_fields[field]
    low = next(m.ge for m in info.metadata if hasattr(m, "ge"))
    high = next(m.le for m in info.metadata if hasattr(m, "le"))
    return Band(low, high)


def _number(band: Band) -> Any:
    return Annotated[float, Field(ge=band.low, le=band.high,
                                  multiple_of=1 if band.whole else None)]


def _model(name: str, base: type[Any], fields: dict[str, tuple[Any, Any]]) -> Any:
    """A subclass of ``base`` with these fields replaced."""
    ns: dict[str, Any] = {"__module__": __name__,
                          "__annotations__": {k: t for k, (t, _) in fields.items()},
                          **{k: f for k, (_, f) in fields.items()}}
    return type(name, (base,), ns)


def _span(first: int, last: int) -> Callable[[dict[str, Any]], None]:
    """The years in order, for the whole body (each scenario's model bounds them to its
    horizon): ``last_year`` from ``first_year`` to ``first_year`` + MAX_YEARS − 1 when both
    are given (what :class:`YearSpan` checks). Beside the ``oneOf`` rather than in each of
    its models: generators then handle it."""
    def extra(schema: dict[str, Any]) -> None:
        schema["anyOf"] = [
            {"properties": {"first_year": {"type": "null"}}},
            {"properties": {"last_year": {"type": "null"}}},
            *({"properties": {"first_year": {"const": y}, "last_year": {
                "minimum": y, "maximum": y + MAX_YEARS - 1}}}
              for y in range(first, last + 1))]
    return extra


def _one_of(*values: str) -> Any:
    """``Literal[values]``, built at run time."""
    return Literal.__getitem__(values)


def _years(o: Offer, what: str) -> tuple[Any, Any]:
    return (Optional[_int(o.first_year, o.last_year)],  # noqa: UP045
            Field(None, description=f"{what} (default: the scenario's)"))


def _scenario(o: Offer, default: str) -> tuple[Any, Any]:
    kind = _one_of(o.id)
    if o.id == default:
        return kind, Field(o.id, description="the scenario (default when left out)")
    return kind, Field(description="the scenario")


@dataclass(frozen=True)
class RequestModels:
    """The body types of the POST routes (FastAPI validates and documents them)."""

    names: tuple[str, ...]
    assessment: Any
    simulation: Any
    sweep: Any


def _field(body: Any, name: str, default: Any = None) -> Any:
    return body.get(name, default) if isinstance(body, dict) else getattr(body, name, default)


def _union(models: dict[str, Any], tag: Callable[[Any], Any],
           extra: Callable[[dict[str, Any]], None] | None = None) -> Any:
    """A body: one of ``models``, by the tag :func:`tag` reads from it."""
    body = Body(json_schema_extra=extra)
    if len(models) == 1:
        return Annotated[next(iter(models.values())), body]
    choices = tuple(Annotated[m, Tag(k)] for k, m in models.items())
    return Annotated[Union[choices], Discriminator(tag), body]  # noqa: UP007


def _for(o: Offer, default: str) -> tuple[dict[str, Any], ...]:
    """The assessment, simulation and sweep models of one scenario, by tag (a sweep's by
    scenario and lever: one flat ``oneOf``, which schema-driven generators handle)."""
    slug = o.id.replace("-", "_")
    study = TypedDict(f"Study_{slug}", {k: _number(b) for k, b in o.study},  # type: ignore[misc]
                      total=False)
    study.__pydantic_config__ = ConfigDict(extra="forbid", strict=True)  # type: ignore[attr-defined]
    closable = _one_of(*o.corridors) if o.corridors else None
    levers = _model(f"Levers_{slug}", _Levers, {
        "from_year": (Optional[_int(o.first_year, o.last_year)], Field(  # noqa: UP045
            None, description=(
            "the what-if year (default 2026, or the scenario's first year)"))),
        "closed_corridor": (Optional[closable], Field(None, description=(  # noqa: UP045
            "a competing corridor closed from the what-if year"))),
        "study": (study, Field(default_factory=dict, description="the scenario's own levers "
                               "(GET /api/scenarios/{name}: levers with study = true)"))})
    common = {"scenario": _scenario(o, default),
              "levers": (levers, Field(default_factory=levers))}
    span = {"first_year": _years(o, "first year to assess"),
            "last_year": _years(o, "last year to assess")}
    assessment = _model(f"AssessmentRequest_{slug}", _Assessment, {**common, **span})
    simulation = _model(f"SimulationRequest_{slug}", _Simulation, {
        **common, "year": (_int(o.first_year, o.last_year), Field(
            2026 if o.first_year <= 2026 <= o.last_year else o.first_year,
            description="the year to simulate")),
        "replications": _int_field(SimulationRequest, "replications"),
        "seed": _int_field(SimulationRequest, "seed")})
    bands = {"market_factor": _bounds(Levers, "market_factor"),
             "co2_price": _bounds(Levers, "co2_price"), **dict(o.study)}
    sweeps = {f"{o.id}:{key}": _model(f"SweepRequest_{slug}_{key}", _Sweep, {
        **common, **span,
        "vary": (_one_of(key), Field(description="the lever to vary")),
        "values": (list[_number(band)], Field(  # type: ignore[misc]
            min_length=1, max_length=MAX_SWEEP_VALUES, json_schema_extra={"uniqueItems": True},
            description="the lever's values, one assessment each"))})
        for key, band in bands.items()}
    return {o.id: assessment}, {o.id: simulation}, sweeps


@cache
def request_models(offers: tuple[Offer, ...], default: str) -> RequestModels:
    per = [_for(o, default) for o in offers]

    def scenario(body: Any) -> Any:
        return _field(body, "scenario", default)

    def scenario_and_lever(body: Any) -> Any:
        vary = _field(body, "vary")
        return None if vary is None else f"{scenario(body)}:{vary}"

    span = _span(min(o.first_year for o in offers), max(o.last_year for o in offers))
    return RequestModels(
        tuple(o.id for o in offers),
        _union({k: m for p in per for k, m in p[0].items()}, scenario, span),
        _union({k: m for p in per for k, m in p[1].items()}, scenario),
        _union({k: m for p in per for k, m in p[2].items()}, scenario_and_lever, span))


def models_for(scenarios: Sequence[Scenario], default: str) -> RequestModels:
    return request_models(tuple(offer(sc) for sc in scenarios), default)
