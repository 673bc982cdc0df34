"""Calibration: fit the free parameters to the observed series of the fit set.

The free parameters are the logit scale θ (how strongly shippers react to cost), a value-of-
time multiplier, the size of the contestable China–Europe market (a multiplier on its demand)
and the nest scale μ of any corridor group (``nest:<group>``). They are fitted by bounded least
squares on the relative errors of the observations marked ``set = "fit"`` (tonnes, TEU, shares,
transit days — several series at once), in log-parameter space; observations marked
``validation`` never enter the fit and are reported apart. Whether the data pin each parameter
down is judged from the Jacobian at the optimum: a parameter whose column is (nearly) zero, or
which moves together with another (|correlation| > 0.95), is reported as not identifiable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from titr.assign.assess import assess
from titr.model.errors import fail
from titr.model.events import Event
from titr.model.figures import Figure
from titr.model.overview import Overviewed, number
from titr.model.scenario import Observation, Scenario
from titr.model.schema import CorridorGroup

FREE = {  # parameter → (lower, upper) bounds, in its own unit
    "logit_scale": (1e-4, 0.2),
    "vot_scale": (0.1, 10.0),
    "market_scale": (0.05, 5.0),
}
# The market's size is evidence (demand items sized from trade statistics), not a knob: it is
# fitted only when asked for.
DEFAULT_FREE = ("logit_scale", "vot_scale")
NEST_BOUNDS = (0.05, 1.0)  # μ of a corridor group ("nest:<group>")
AVOID_BOUNDS = (0.02, 0.95)  # share of shippers avoiding a group in an event ("avoid:<event>")
CORRELATED = 0.95


@dataclass(frozen=True)
class FreeParameter:
    """A free parameter, parsed once from its name: a scenario parameter (``logit_scale``),
    the nest scale of a corridor group (``nest:<group>``) or the avoiding share of an event
    (``avoid:<event>``). ``str()`` gives the name back."""

    kind: str  # "parameter", "nest" or "avoid"
    target: str  # the parameter, group or event id

    @classmethod
    def parse(cls, name: str) -> FreeParameter:
        kind, colon, target = name.partition(":")
        if colon and kind in ("nest", "avoid"):
            return cls(kind, target)
        return cls("parameter", name)

    def __str__(self) -> str:
        return self.target if self.kind == "parameter" else f"{self.kind}:{self.target}"

    @property
    def is_scenario_parameter(self) -> bool:
        return self.kind == "parameter"


@dataclass(repr=False)
class Calibration(Overviewed):
    """What :func:`calibrate` found: the fitted scenario and values (with the start values),
    observed vs modelled after the fit, whether each parameter is identifiable, the RMSE of
    the weighted relative errors in %, and the number of assessments it took."""

    scenario: Scenario  # with the fitted parameters
    values: dict[str, float]
    start: dict[str, float]
    table: pd.DataFrame  # observed vs modelled per observation, after the fit
    identifiable: dict[str, str]  # parameter → "yes" or the reason it is not
    rmse_pct: float  # over the fit set
    evaluations: int
    validation_rmse_pct: float = float("nan")  # over the validation set (not fitted on)

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        return "Calibration", self.scenario.id, {
            "fitted": ", ".join(f"{k} {number(v, 4)}" for k, v in self.values.items()),
            "rmse": f"fit {number(self.rmse_pct)} %, validation "
                    f"{number(self.validation_rmse_pct)} %",
            "evaluations": str(self.evaluations), "table": f"{len(self.table)} observations"}


def bounds(name: str) -> tuple[float, float]:
    p = FreeParameter.parse(name)
    return {"avoid": AVOID_BOUNDS, "nest": NEST_BOUNDS}.get(p.kind) or FREE[p.target]


def current(sc: Scenario, name: str) -> float:
    """A free parameter's value in the scenario (a nest scale defaults to 1)."""
    p = FreeParameter.parse(name)
    if p.kind == "nest":
        group = sc.by_id("corridor_groups").get(p.target)
        return group.nest_scale.to("1") if group is not None and group.nest_scale else 1.0
    if p.kind == "avoid":
        return sc.by_id("events")[p.target].avoided[0].share.to("1")
    return float(getattr(sc.parameters, p.target).to(
        "1/USD" if p.target == "logit_scale" else "1"))


# Where a fit starts when nothing observed may inform the start (backtests): θ = 0.02 /USD
# makes a 50 USD/t gap between corridors shift the odds by e^1; values of time as written; the
# market as sized; plain logit nests; half the shippers avoiding a sanctioned group.
NEUTRAL_START = {"logit_scale": 0.02, "vot_scale": 1.0, "market_scale": 1.0}


def neutral_start(name: str) -> float:
    p = FreeParameter.parse(name)
    return {"nest": 1.0, "avoid": 0.5}.get(p.kind) or NEUTRAL_START[p.target]


def at_values(sc: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with these free parameters set (names as for :func:`calibrate`)."""
    return _with(sc, list(values), np.log(list(values.values())))


def _with(sc: Scenario, names: list[str], logs: np.ndarray) -> Scenario:
    """The scenario with new parameter values (no re-validation: only parameters change)."""
    update: dict[str, Figure] = {}
    nests: dict[str, float] = {}
    avoid: dict[str, float] = {}
    for n, v in zip(names, logs, strict=True):
        p = FreeParameter.parse(n)
        if p.kind == "avoid":
            avoid[p.target] = float(math.exp(v))
        elif p.kind == "nest":
            nests[p.target] = min(float(math.exp(v)), 1.0)
        else:
            old: Figure = getattr(sc.parameters, p.target)
            update[p.target] = Figure(value=float(math.exp(v)), unit=old.unit,
                                      assumption="fitted by titr calibrate to the observed series")
    changes: dict[str, object] = {"parameters": sc.parameters.model_copy(update=update)}
    if nests:
        groups = {g.id: g for g in sc.corridor_groups}
        for gid in {c.group for c in sc.corridors}:
            groups.setdefault(gid, CorridorGroup(id=gid, name=gid))
        changes["corridor_groups"] = [
            g.model_copy(update={"nest_scale": Figure(
                value=nests[g.id], unit="1", assumption="fitted by titr calibrate")})
            if g.id in nests else g for g in groups.values()]
    if avoid:
        changes["events"] = [_avoiding(e, avoid[e.id]) if e.id in avoid else e
                             for e in sc.events]
    clone = sc.model_copy(update=changes)
    clone._path = sc.path
    return clone


def _avoiding(event: Event, share: float) -> Event:
    """The event with its (first) avoiding segment's share set to ``share``."""
    first = event.avoided[0].model_copy(update={"share": Figure(
        value=share, unit="1", assumption="fitted by titr calibrate")})
    return event.model_copy(update={"avoided": [first, *event.avoided[1:]]})


def _known(sc: Scenario, name: str, groups: set[str]) -> bool:
    p = FreeParameter.parse(name)
    if p.kind == "nest":
        return p.target in groups
    if p.kind == "avoid":
        event = sc.by_id("events").get(p.target)
        return event is not None and bool(event.avoided)
    return p.target in FREE


def fit_observations(sc: Scenario, until: int | None = None) -> list[Observation]:
    """The observations the parameters are fitted on: set = fit, inside the horizon, and not
    after the cut-off."""
    return [o for o in sc.observed if o.set == "fit" and o.year in sc.years
            and (until is None or o.year <= until)]


def default_free(sc: Scenario) -> list[str]:
    """Route choice's scales, and the avoiding share of every event that has one."""
    return [*DEFAULT_FREE, *(str(FreeParameter("avoid", e.id)) for e in sc.events if e.avoided)]


def calibrate(sc: Scenario, free: list[str] | None = None, max_evaluations: int = 60,
              until: int | None = None) -> Calibration:
    """Fit the free parameters (``free``: any of ``logit_scale``, ``vot_scale``,
    ``market_scale``, ``nest:<group>`` or ``avoid:<event>``; default :func:`default_free`) to
    the scenario's
    observations of the fit set (up to ``until``, if given).

    Bounded least squares on the weighted relative errors of the fit set, in log-parameter
    space, with at most ``max_evaluations`` assessments of the observed years. The returned
    table holds every observation of the observed years (fit and validation) after the fit.
    Raises ``TitrError`` for an unknown parameter or a scenario without fit observations.
    """
    names = free or default_free(sc)
    groups = {c.group for c in sc.corridors}
    for n in names:
        if not _known(sc, n, groups):
            raise fail(f"unknown free parameter {n!r}", where="--free",
                       fix=f"use {', '.join(FREE)}, avoid:<event with avoided> or nest:<group> "
                           f"({', '.join(sorted(groups))})")
    fitted_on = fit_observations(sc, until)
    if not fitted_on:
        raise fail("the scenario has no fit observations inside its horizon"
                   + (f" up to {until}" if until else ""), where="observed",
                   fix="add [[observed]] entries with set = \"fit\"", file=sc.path)
    years = sorted({o.year for o in fitted_on})
    ids = [o.id for o in fitted_on]
    start = {n: current(sc, n) for n in names}
    lo = np.log([bounds(n)[0] for n in names])
    hi = np.log([bounds(n)[1] for n in names])
    x0 = np.clip(np.log([start[n] for n in names]), lo, hi)
    weights = np.array([math.sqrt(o.weight) for o in fitted_on])
    count = 0

    def residuals(x: np.ndarray) -> np.ndarray:
        nonlocal count
        count += 1
        cal = assess(_with(sc, names, x), years).calibration.set_index("observation").loc[ids]
        err = (cal.modelled - cal.observed) / cal.observed
        return np.nan_to_num(err.to_numpy(dtype=float), nan=1.0) * weights

    fit = least_squares(residuals, x0, bounds=(lo, hi), max_nfev=max_evaluations,
                        diff_step=0.05, x_scale=1.0)
    fitted = _with(sc, names, fit.x)
    shown = sorted({o.year for o in sc.observed if o.year in sc.years
                    and (until is None or o.year <= until)})
    table = assess(fitted, shown).calibration
    return Calibration(fitted, {n: float(math.exp(v)) for n, v in zip(names, fit.x, strict=True)},
                       start, table, identifiability(fit.jac, names, fit.x, lo, hi),
                       float(100 * np.sqrt(np.mean(fit.fun ** 2))), count,
                       rmse(table[table["set"] == "validation"]))


def rmse(table: pd.DataFrame) -> float:
    """Root mean square of the relative errors in the table, in %."""
    err = table.error_pct.dropna()
    return float(np.sqrt(np.mean(err ** 2))) if len(err) else float("nan")


def identifiability(jac: np.ndarray, names: list[str], x: np.ndarray, lo: np.ndarray,
                    hi: np.ndarray) -> dict[str, str]:
    """Say, for each parameter, whether the observations determine it."""
    out: dict[str, str] = {}
    norms = np.linalg.norm(jac, axis=0)
    scale = norms.max() if norms.size and norms.max() > 0 else 1.0
    info = jac.T @ jac
    try:
        cov = np.linalg.pinv(info)
        sd = np.sqrt(np.clip(np.diag(cov), 0, None))
        corr = cov / np.outer(sd, sd) if np.all(sd > 0) else np.zeros_like(cov)
    except np.linalg.LinAlgError:
        corr = np.zeros((len(names), len(names)))
    for i, n in enumerate(names):
        if norms[i] < 1e-3 * scale:
            out[n] = "no: the observations do not respond to it"
            continue
        partners = [names[j] for j in range(len(names))
                    if j != i and abs(corr[i, j]) > CORRELATED]
        if partners:
            out[n] = f"no: moves together with {', '.join(partners)} (|corr| > {CORRELATED})"
        elif min(abs(x[i] - lo[i]), abs(hi[i] - x[i])) < 1e-3:
            out[n] = "at its bound: the data push it beyond the allowed range"
        else:
            out[n] = "yes"
    return out
