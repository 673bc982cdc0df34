"""Calibration: fit the free parameters to the observed series (corridor-facts.md §9).

The free parameters are the logit scale θ (how strongly shippers react to cost), a value-of-
time multiplier, and the size of the contestable China–Europe market (a multiplier on its
demand). They are fitted by bounded least squares on the relative errors of the observations
(tonnes, TEU, transit days), in log-parameter space. Whether the data pin each parameter down is
judged from the Jacobian at the optimum: a parameter whose column is (nearly) zero, or which
moves together with another (|correlation| > 0.95), is reported as not identifiable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from titr.assign.assess import assess
from titr.model.errors import fail
from titr.model.figures import Figure
from titr.model.scenario import Scenario

FREE = {  # parameter → (lower, upper) bounds, in its own unit
    "logit_scale": (1e-4, 0.2),
    "vot_scale": (0.1, 10.0),
    "market_scale": (0.05, 5.0),
}
CORRELATED = 0.95


@dataclass
class Calibration:
    """What :func:`calibrate` found: the fitted scenario and values (with the start values),
    observed vs modelled after the fit, whether each parameter is identifiable, the RMSE of
    the weighted relative errors in %, and the number of assessments it took."""

    scenario: Scenario  # with the fitted parameters
    values: dict[str, float]
    start: dict[str, float]
    table: pd.DataFrame  # observed vs modelled per observation, after the fit
    identifiable: dict[str, str]  # parameter → "yes" or the reason it is not
    rmse_pct: float
    evaluations: int


def _with(sc: Scenario, names: list[str], logs: np.ndarray) -> Scenario:
    """The scenario with new parameter values (no re-validation: only parameters change)."""
    update = {}
    for n, v in zip(names, logs, strict=True):
        old: Figure = getattr(sc.parameters, n)
        update[n] = Figure(value=float(math.exp(v)), unit=old.unit,
                           assumption="fitted by titr calibrate to the observed series")
    clone = sc.model_copy(update={"parameters": sc.parameters.model_copy(update=update)})
    clone._path = sc.path
    return clone


def calibrate(sc: Scenario, free: list[str] | None = None, max_evaluations: int = 60
              ) -> Calibration:
    """Fit the free parameters (``free``: any of ``logit_scale``, ``vot_scale``,
    ``market_scale``; default all three) to the scenario's observed figures.

    Bounded least squares on the weighted relative errors of the observations, in
    log-parameter space, with at most ``max_evaluations`` assessments of the observed years.
    Raises ``TitrError`` for an unknown parameter or a scenario without observations.
    """
    names = free or list(FREE)
    for n in names:
        if n not in FREE:
            raise fail(f"unknown free parameter {n!r}", where="--free",
                       fix=f"use {', '.join(FREE)}")
    years = sorted({o.year for o in sc.observed if o.year in sc.years})
    if not years:
        raise fail("the scenario has no observations inside its horizon", where="observed",
                   fix="add [[observed]] entries (see corridor-facts.md §9)", file=sc.path)
    start = {n: getattr(sc.parameters, n).to("1/USD" if n == "logit_scale" else "1")
             for n in names}
    x0 = np.log([min(max(start[n], FREE[n][0]), FREE[n][1]) for n in names])
    lo = np.log([FREE[n][0] for n in names])
    hi = np.log([FREE[n][1] for n in names])
    weights = np.array([math.sqrt(o.weight) for o in sc.observed if o.year in years])
    count = 0

    def residuals(x: np.ndarray) -> np.ndarray:
        nonlocal count
        count += 1
        cal = assess(_with(sc, names, x), years).calibration
        err = (cal.modelled - cal.observed) / cal.observed
        return np.nan_to_num(err.to_numpy(), nan=1.0) * weights

    fit = least_squares(residuals, x0, bounds=(lo, hi), max_nfev=max_evaluations,
                        diff_step=0.05, x_scale=1.0)
    fitted = _with(sc, names, fit.x)
    table = assess(fitted, years).calibration
    return Calibration(fitted, {n: float(math.exp(v)) for n, v in zip(names, fit.x, strict=True)},
                       start, table, identifiability(fit.jac, names, fit.x, lo, hi),
                       float(100 * np.sqrt(np.mean(fit.fun ** 2))), count)


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
