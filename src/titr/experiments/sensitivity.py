"""Which parameter moves an output most: regression on the design points' means.

For each target (an output of one year and subject) the point means ``y`` are regressed on the
parameters' design values ``X`` (numeric parameters that vary; a relative parameter counts by
its factor):

- ``src``: the standardized regression coefficient — the least-squares slope after scaling
  each column and ``y`` to mean 0 and standard deviation 1. With uncorrelated parameters (every
  design here is built so), ``src²`` is the share of the output's variance that the parameter
  explains linearly, and its sign says the direction. ``r2`` is the linear fit's R².
- ``srrc``: the same on ranks (standardized rank regression coefficient), which measures a
  monotone effect that is not linear (a wait for a vessel falls like 1/fleet); ``r2_rank``.
- ``spearman``: the plain rank correlation of the parameter with ``y``, shown as a check.

The ranking (``importance``, ``rank``) uses ``|src|`` when the linear fit explains at least
``R2_LINEAR`` (70 %) of the variance or explains more than the rank fit, else ``|srrc|``
(``method`` says which). With too few points to fit (fewer than parameters + 2) it uses
``|spearman|``. An output that does not vary gives importance 0 for every parameter (method
``constant``). Partial rank correlation (PRCC) is not used for the ranking: for an output
with little noise it tends to ±1 for every parameter with any monotone effect, so it says
whether a parameter matters, not how much.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from titr.experiments.summary import targets
from titr.model.columns import spec

R2_LINEAR = 0.7
SENSITIVITY = spec("sweep.sensitivity")  # the columns, declared in titr.model.columns.sweep_columns
COLUMNS = SENSITIVITY.names


def numeric_parameters(points: pd.DataFrame, params: list[str]) -> list[str]:
    """The parameters that are numbers and take more than one value."""
    out = []
    for p in params:
        col = pd.to_numeric(points[p], errors="coerce")
        if col.notna().all() and col.nunique() > 1:
            out.append(p)
    return out


def _standardized_fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Standardized regression coefficients of y on X, and R²."""
    sd = X.std(0)
    Xs = (X - X.mean(0)) / np.where(sd > 0, sd, 1.0)
    ys = (y - y.mean()) / y.std()
    coef, *_ = np.linalg.lstsq(Xs, ys, rcond=None)
    resid = ys - Xs @ coef
    return coef, float(1.0 - (resid @ resid) / (ys @ ys))


def rank_target(X: np.ndarray, y: np.ndarray, names: list[str]) -> pd.DataFrame:
    """The sensitivity of one output (point means ``y``) to each column of ``X``."""
    ok = np.isfinite(y)
    X, y = X[ok], y[ok]
    n, k = X.shape
    nan = np.full(k, np.nan)
    src, srrc, spear = nan.copy(), nan.copy(), nan.copy()
    r2 = r2r = np.nan
    if n < 3 or k == 0 or np.ptp(y) == 0:
        method, importance = "constant", np.zeros(k)
    else:
        for j in range(k):
            spear[j] = sps.spearmanr(X[:, j], y).statistic if np.ptp(X[:, j]) else 0.0
        if n >= k + 2:
            src, r2 = _standardized_fit(X, y)
            ranks = np.column_stack([sps.rankdata(X[:, j]) for j in range(k)])
            srrc, r2r = _standardized_fit(ranks, sps.rankdata(y))
            linear = r2 >= R2_LINEAR or r2 >= r2r
            method, importance = ("src", np.abs(src)) if linear else ("srrc", np.abs(srrc))
        else:
            method, importance = "spearman", np.abs(np.nan_to_num(spear))
    order = np.argsort(-importance, kind="stable")
    rank = np.empty(k, int)
    rank[order] = np.arange(1, k + 1)
    return pd.DataFrame({"parameter": names, "importance": importance, "rank": rank,
                         "method": method, "src": src, "srrc": srrc, "spearman": spear,
                         "r2": r2, "r2_rank": r2r, "points": n})


def sensitivity(points: pd.DataFrame, summary: pd.DataFrame, params: list[str],
                selectors: list[str]) -> pd.DataFrame:
    """The ranking for every target the selectors pick (see the module); sorted by target
    and rank."""
    names = numeric_parameters(points, params)
    frames = []
    X_all = points.set_index("point")[names].apply(pd.to_numeric)
    for year, output, subject in targets(summary, selectors):
        sel = summary[(summary.year == year) & (summary.output == output)
                      & (summary.subject == subject)].set_index("point")["mean"]
        X = X_all.loc[X_all.index.intersection(sel.index)]
        y = sel.reindex(X.index).to_numpy(float)
        df = rank_target(X.to_numpy(float), y, names)
        df.insert(0, "subject", subject)
        df.insert(0, "output", output)
        df.insert(0, "year", year)
        frames.append(df.sort_values("rank"))
    if not frames:
        return SENSITIVITY.empty()
    return SENSITIVITY.conform(pd.concat(frames, ignore_index=True)[COLUMNS])


def most_influential(table: pd.DataFrame) -> pd.DataFrame:
    """One row per target: the parameter ranked first, and its coefficient."""
    if table.empty:
        return table
    top = table[table["rank"] == 1].copy()
    top.loc[top["method"] == "constant", "parameter"] = "(output does not vary)"
    return top.reset_index(drop=True)
