"""Per design point: the mean of each output across replications and its 95 % t-interval.

``point_summary`` gives one row per point, year, output and subject: the parameters' values,
``mean``, ``sd``, ``ci_low``/``ci_high`` (mean ± t(0.975, n−1)·sd/√n; NaN with one
replication; equal to the mean when the output does not vary, as assessment outputs do),
``replications`` and ``text`` (the most frequent label, e.g. the bottleneck's name).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from titr.experiments.outputs import matches

KEYS = ["point", "year", "output", "subject"]
SUMMARY_COLUMNS = [*KEYS, "mean", "sd", "ci_low", "ci_high", "replications", "text"]


def point_summary(points: pd.DataFrame, outputs: pd.DataFrame,
                  level: float = 0.95) -> pd.DataFrame:
    """Mean and confidence interval of every output of every point (see the module)."""
    params = [c for c in points.columns if c not in ("point", "overrides")]
    if outputs.empty:
        return pd.DataFrame(columns=[*KEYS[:1], *params, *SUMMARY_COLUMNS[1:]])
    g = outputs.groupby(KEYS, sort=True, dropna=False)["value"]
    s = g.agg(mean="mean", sd="std", replications="count").reset_index()
    n = s["replications"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(n >= 2, sps.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)), np.nan)
        half = tq * s["sd"].fillna(np.nan).to_numpy(float) / np.sqrt(n)
    s["ci_low"] = s["mean"] - half
    s["ci_high"] = s["mean"] + half
    texts = outputs.dropna(subset=["text"])
    if len(texts):
        modal = (texts.groupby(KEYS)["text"]
                 .agg(lambda t: t.value_counts().index[0]).rename("text").reset_index())
        s = s.merge(modal, on=KEYS, how="left")
    else:
        s["text"] = None
    s = s[SUMMARY_COLUMNS]
    return points[["point", *params]].merge(s, on="point", how="right")


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


def _cell(r: object) -> str:
    mean, low, high = (getattr(r, k) for k in ("mean", "ci_low", "ci_high"))
    if mean is None or not np.isfinite(mean):
        return "–"
    text = _num(mean)
    if np.isfinite(low) and high > low:
        text += f" [{_num(low)}–{_num(high)}]"
    label = getattr(r, "text", None)
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
