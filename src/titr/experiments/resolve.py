"""An experiment checked against its base scenario: concrete paths, base values, overrides.

Each parameter's path is applied to the base scenario once (with its first value), so a path
that does not exist, or a value of the wrong kind, is refused before anything runs. A ``*`` in
the id position (``demand.*.growth``) stands for every item of the collection that has the
field (items added by projects included). A ``relative`` parameter multiplies each item's base
figure by its factor.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from titr.experiments.payload import ScenarioPayload
from titr.experiments.spec import Experiment, Parameter, Value
from titr.model import Scenario, TitrError, field_paths
from titr.model.errors import Problem, fail
from titr.model.loader import builtin_names, load
from titr.model.overrides import normalise

log = logging.getLogger(__name__)

# fields of the experiment that do not change what a run computes (resume ignores them)
NOT_IN_FINGERPRINT = {"description", "sensitivity"}


@dataclass(frozen=True)
class Resolved:
    """An experiment ready to run: its file, base scenario and concrete override paths."""

    experiment: Experiment
    file: str
    scenario: str  # a built-in name, or the absolute path of the scenario file
    paths: dict[str, list[str]]  # parameter label → the concrete --set paths it sets
    base: dict[str, float] = field(default_factory=dict)  # concrete path → base figure value
    scenario_digest: str = ""
    payload: ScenarioPayload | None = None  # the base scenario as shipped to workers

    def overrides(self, values: dict[str, Value]) -> dict[str, Value]:
        """The ``--set`` overrides of one design point (the fixed ``set`` included)."""
        out: dict[str, Value] = dict(self.experiment.set)
        for p in self.experiment.parameters:
            v = values[p.label]
            for path in self.paths[p.label]:
                out[path] = _scaled(self.base[path], v) if p.relative else v
        return out

    @property
    def fingerprint(self) -> str:
        """What identifies the runs: the experiment (but its description and sensitivity
        targets) and the base scenario's content."""
        spec = self.experiment.model_dump(mode="json", exclude=NOT_IN_FINGERPRINT)
        text = json.dumps({"experiment": spec, "scenario": self.scenario_digest},
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _scaled(base: float, factor: Value) -> float:
    return float(base) * float(factor)


def resolve(exp: Experiment, file: str | Path) -> Resolved:
    """Check ``exp`` (read from ``file``) against its base scenario; raise TitrError if bad."""
    file = str(file)
    ref = scenario_ref(exp.scenario, Path(file).parent)
    try:
        base = load(ref)
    except TitrError as e:
        raise TitrError([_in_file(p, file, "scenario") for p in e.problems]) from None
    outside = [y for y in exp.years if y not in base.years]
    if outside:
        raise fail(f"year {outside[0]} is outside the scenario's horizon", where="years",
                   fix=f"use years from {base.first_year} to {base.last_year}", file=file)
    raw = base.model_dump(by_alias=True, exclude_none=True)
    paths: dict[str, list[str]] = {}
    basevals: dict[str, float] = {}
    for p in exp.parameters:
        paths[p.label] = _expand(p, raw, file)
        for path in paths[p.label]:
            figure = _value_at(raw, path)
            if isinstance(figure, dict) and "value" in figure and not p.relative:
                _figure_values(p, path, str(figure.get("unit", "")), file)
            if p.relative or p.ranged:
                basevals[path] = _number_of(figure, p, path, file)
    _check_set(base, exp, file)
    payload = ScenarioPayload.of(base)
    resolved = Resolved(exp, file, ref, paths, basevals, payload.digest, payload)
    _try_each(base, exp, resolved, file)
    return resolved


def scenario_ref(name: str, folder: Path) -> str:
    if name in builtin_names():
        return name
    path = Path(name)
    if not path.is_absolute():
        path = folder / path
    return str(path.resolve())


def _in_file(p: Problem, file: str, where: str) -> Problem:
    if p.file:
        return p
    inner = f"{where}: {p.where}" if p.where and p.where != where else where
    return Problem(file, inner, p.what, p.fix, p.line)


def _items(raw: dict[str, Any], coll: str) -> list[dict[str, Any]]:
    """A collection's items, and those its projects add."""
    items = [it for it in raw.get(coll, []) or [] if isinstance(it, dict)]
    for project in raw.get("projects", []):
        for change in project.get("changes", []):
            item = change.get("item")
            if change.get("collection") == coll and isinstance(item, dict):
                items.append(item)
    return items


def _value_at(raw: dict[str, Any], path: str) -> Any:
    """The raw value at a ``--set`` path (an item may be one that a project adds)."""
    parts = field_paths.split(path)
    if parts[0] == "parameters":
        return field_paths.get(raw, path)
    item = next((it for it in _items(raw, parts[0]) if it.get("id") == parts[1]), None)
    if item is None:
        return field_paths.get(raw, path)  # raises the model's "no item" message
    return field_paths.get({parts[0]: [item]}, path)


def _expand(p: Parameter, raw: dict[str, Any], file: str) -> list[str]:
    where = f"parameters[{p.label}].path"
    path = normalise(p.path)
    parts = path.split(".")
    try:
        if len(parts) < 3 or parts[1] != "*":
            _value_at(raw, path)
            return [path]
        coll, rest = parts[0], ".".join(parts[2:])
        if coll == "parameters":
            raise fail("'*' selects items of a collection, not parameters",
                       fix="name the parameter, e.g. parameters.market_scale")
        found = []
        for it in _items(raw, coll):
            concrete = f"{coll}.{it['id']}.{rest}"
            try:
                _value_at(raw, concrete)
            except TitrError:
                log.debug("%s: %s has no %s; the wildcard skips it", path, it["id"], rest)
                continue
            found.append(concrete)
        if not found:
            raise fail(f"no item of {coll!r} has the field {rest!r}",
                       fix="check the collection and the field name")
        return list(dict.fromkeys(found))
    except TitrError as e:
        first = e.problems[0]
        raise fail(f"{p.path!r}: {first.what}", where=where, file=file,
                   fix=first.fix or "write a --set path such as fleets.<fleet id>.vessels"
                   ) from None


def _number_of(figure: Any, p: Parameter, path: str, file: str) -> float:
    value = figure.get("value") if isinstance(figure, dict) else figure
    if isinstance(value, bool) or not isinstance(value, int | float):
        what = "relative" if p.relative else "a range"
        raise fail(f"{what} needs a number at {path!r}, which holds {type(value).__name__}",
                   where=f"parameters[{p.label}]", file=file,
                   fix="vary a numeric figure, or list the values instead")
    return float(value)


_WITH_UNIT = re.compile(r"^\s*[-+0-9.eE]+\s+\S")


def _figure_values(p: Parameter, path: str, unit: str, file: str) -> None:
    """Every value given for a figure is a number, or a number and a unit ("12 kn")."""
    for v in p.values or []:
        ok = (isinstance(v, int | float) and not isinstance(v, bool)) or (
            isinstance(v, str) and _WITH_UNIT.match(v) is not None)
        if not ok:
            raise fail(f"{v!r} is not a number (for {path}, in {unit})",
                       where=f"parameters[{p.label}].values", file=file,
                       fix=f"give numbers (in {unit}) or numbers with a unit, e.g. \"12 kn\"")


def _first_values(exp: Experiment) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for p in exp.parameters:
        if p.values is not None:
            out[p.label] = p.values[0]
        else:
            assert p.low is not None
            out[p.label] = round(p.low) if p.integer else p.low
    return out


def _check_set(base: Scenario, exp: Experiment, file: str) -> None:
    raw = base.model_dump(by_alias=True, exclude_none=True)
    for path in exp.set:
        try:
            _value_at(raw, normalise(path))
        except TitrError as e:
            first = e.problems[0]
            raise fail(f"{path!r}: {first.what}", where="set", file=file,
                       fix=first.fix or "write a --set path") from None


def _try_each(base: Scenario, exp: Experiment, r: Resolved, file: str) -> None:
    """Apply every parameter's first value to the base at once; on failure, find which."""
    values = _first_values(exp)
    try:
        base.with_overrides(r.overrides(values))
        return
    except (TitrError, KeyError, ValueError, TypeError) as e:
        log.debug("the first values together do not apply (%s); trying each parameter",
                  type(e).__name__)
    for p in exp.parameters:
        one = {path: (_scaled(r.base[path], values[p.label]) if p.relative else values[p.label])
               for path in r.paths[p.label]}
        try:
            base.with_overrides(one)
        except (TitrError, KeyError, ValueError, TypeError) as e:
            what = (e.problems[0].what if isinstance(e, TitrError)
                    else f"cannot set it ({type(e).__name__}: {e})")
            raise fail(f"{p.path} = {values[p.label]!r} does not apply to the scenario: {what}",
                       where=f"parameters[{p.label}]", file=file,
                       fix="check the path and give values the field accepts") from None
    try:
        base.with_overrides(dict(exp.set))
    except (TitrError, KeyError, ValueError, TypeError) as e:
        what = e.problems[0].what if isinstance(e, TitrError) else str(e)
        raise fail(f"the fixed overrides do not apply: {what}", where="set", file=file,
                   fix="check each path and value") from None
    raise fail("the parameters' first values together do not apply to the scenario",
               where="parameters", file=file, fix="check the combination of values")
