"""The one t-interval of titr: a 95 % (by default) confidence interval for a mean from n
independent observations (replications), mean ± t(0.5 + level/2, n − 1) · sd / √n.

Undefined with fewer than two observations: the bounds are then NaN, never a made-up width.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats as sps


@lru_cache(maxsize=256)
def _quantile(n: int, level: float) -> float:
    return float(sps.t.ppf(0.5 + level / 2, n - 1))


def t_half_width(sd: float | np.ndarray, n: int | np.ndarray,
                 level: float = 0.95) -> float | np.ndarray:
    """Half the width of the interval: t(0.5 + level/2, n − 1) · sd / √n; NaN where n < 2.
    Works on numbers and elementwise on arrays."""
    if np.ndim(n) == 0 and np.ndim(sd) == 0:
        k = int(n)
        return _quantile(k, level) * float(sd) / np.sqrt(k) if k >= 2 else float("nan")
    n_arr = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(n_arr >= 2, sps.t.ppf(0.5 + level / 2, np.maximum(n_arr - 1, 1)), np.nan)
        return np.asarray(tq * np.asarray(sd, float) / np.sqrt(n_arr))


def t_interval(values: np.ndarray | pd.Series | list[float], level: float = 0.95
               ) -> tuple[float, float, float]:
    """(mean, low, high) of the finite ``values``; NaN bounds with fewer than 2 values."""
    x = np.asarray(values, float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    m = float(x.mean())
    if x.size < 2:
        return (m, np.nan, np.nan)
    half = float(t_half_width(float(x.std(ddof=1)), x.size, level))
    return (m, m - half, m + half)
