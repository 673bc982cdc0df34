"""Per design point: the mean of each output across replications and its 95 % t-interval.

``point_summary`` gives one row per point, year, output and subject: the parameters' values,
``mean``, ``sd``, ``ci_low``/``ci_high`` (mean ± t(0.975, n−1)·sd/√n; NaN with one
replication; equal to the mean when the output does not vary, as assessment outputs do),
``replications`` and ``text`` (the most frequent label, e.g. the bottleneck's name).

Every output is a non-negative quantity (a share also at most 1, see
:data:`~titr.experiments.outputs.BOUNDS`), but with few replications the t-interval of a
skewed quantity (a wait for a vessel) reaches below 0: the interval is clipped to the bounds,
so it says "between 0 and …" rather than an impossible negative wait. (Clipping keeps the
interval's coverage: no value outside the bounds was possible.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from titr.experiments.outputs import BOUNDS, matches
from titr.model.columns import spec
from titr.model.intervals import t_half_width

KEYS = ["point", "year", "output", "subject"]
SUMMARY = spec("sweep.summary")  # the columns, declared in titr.model.columns.sweep_columns
RANGES = spec("sweep.ranges")
SUMMARY_COLUMNS = SUMMARY.names


def point_summary(points: pd.DataFrame, outputs: pd.DataFrame,
                  level: float = 0.95) -> pd.DataFrame:
    """Mean and confidence interval of every output of every point (see the module)."""
    params = [c for c in points.columns if c not in ("point", "overrides")]
    if outputs.empty:
        return SUMMARY.conform(pd.DataFrame(columns=[*KEYS[:1], *params, *SUMMARY_COLUMNS[1:]]))
    g = outputs.groupby(KEYS, sort=True, dropna=False)["value"]
    s = g.agg(mean="mean", sd="std", replications="count").reset_index()
    n = s["replications"].to_numpy(float)
    half = t_half_width(s["sd"].fillna(np.nan).to_numpy(float), n, level)
    low, high = (s["output"].map(lambda o, i=i: BOUNDS.get(o, (-np.inf, np.inf))[i])
                 for i in (0, 1))
    s["ci_low"] = np.maximum(s["mean"] - half, low.astype(float))
    s["ci_high"] = np.minimum(s["mean"] + half, high.astype(float))
    texts = outputs.dropna(subset=["text"])
    if len(texts):
        modal = (texts.groupby(KEYS)["text"]
                 .agg(lambda t: t.value_counts().index[0]).rename("text").reset_index())
        s = s.merge(modal, on=KEYS, how="left")
    else:
        s["text"] = None
    s = s[SUMMARY_COLUMNS]
    return SUMMARY.conform(points[["point", *params]].merge(s, on="point", how="right"))


def targets(summary: pd.DataFrame, selectors: list[str]) -> list[tuple[int, str, str]]:
    """The (year, output, subject) combinations that the selectors pick, in selector order."""
    combos = summary[["year", "output", "subject"]].drop_duplicates().itertuples(index=False)
    found = list(combos)
    out: list[tuple[int, str, str]] = []
    for sel in selectors:
        for year, output, subject in found:
            key = (int(year), str(output), str(subject))
            if matches(sel, key[1], key[2]) and key not in out:
                out.append(key)
    return out


def headline(summary: pd.DataFrame, selectors: list[str], params: list[str]) -> pd.DataFrame:
    """One row per point: the parameters, and ``mean [low–high]`` of each selected output."""
    if summary.empty:
        return pd.DataFrame(columns=["point", *params])
    rows = summary.drop_duplicates("point")[["point", *params]].set_index("point")
    years = summary["year"].nunique()
    for year, output, subject in targets(summary, selectors):
        sel = summary[(summary.year == year) & (summary.output == output)
                      & (summary.subject == subject)].set_index("point")
        name = output + (f" {subject}" if subject else "") + (f" {year}" if years > 1 else "")
        rows[name] = [_cell(r) for r in sel.reindex(rows.index).itertuples()]
    return rows.reset_index()


def output_ranges(summary: pd.DataFrame) -> pd.DataFrame:
    """Every output of the sweep, one row per year, output and subject: the lowest and the
    highest point mean, each ``mean [95 % CI]`` and its point."""
    if summary.empty:
        return RANGES.empty()
    rows = []
    for (output, subject, year), g in summary.groupby(["output", "subject", "year"],
                                                      sort=False):
        g = g.dropna(subset=["mean"]).sort_values("mean", kind="stable")
        if g.empty:
            continue
        lo, hi = g.iloc[0], g.iloc[-1]
        rows.append({"output": output, "subject": subject, "year": int(str(year)),
                     "lowest": f"{_cell(lo)} (point {int(lo['point'])})",
                     "highest": f"{_cell(hi)} (point {int(hi['point'])})"})
    return RANGES.frame(rows)


def _cell(r: object) -> str:
    def get(key: str) -> Any:
        return r.get(key) if isinstance(r, pd.Series) else getattr(r, key, None)

    mean, low, high = (get(k) for k in ("mean", "ci_low", "ci_high"))
    if mean is None or not np.isfinite(mean):
        return "–"
    text = _num(mean)
    if np.isfinite(low) and high > low:
        text += f" [{_num(low)}–{_num(high)}]"
    label = get("text")
    if isinstance(label, str) and label:
        text = f"{label}: {text}"
    return text


def _num(x: float) -> str:
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:,.2f} M"
    if a >= 1e3:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"
