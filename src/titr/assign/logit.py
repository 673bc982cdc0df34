"""Multinomial logit route choice among corridors."""

from __future__ import annotations

import numpy as np


def logit_shares(costs: np.ndarray, scale: float) -> np.ndarray:
    """Shares exp(−θ·c_j) / Σ exp(−θ·c_k) along the last axis; infinite costs get share 0.

    Computed relative to the cheapest alternative so large costs do not underflow.
    """
    c = np.asarray(costs, dtype=float)
    finite = np.isfinite(c)
    base = np.where(finite, c, np.inf).min(axis=-1, keepdims=True)
    z = np.where(finite, np.exp(-scale * (c - base)), 0.0)
    total = z.sum(axis=-1, keepdims=True)
    return np.divide(z, total, out=np.zeros_like(z), where=total > 0)


def nested_shares(costs: np.ndarray, groups: list[str], scale: float,
                  nest_scale: dict[str, float]) -> np.ndarray:
    """Nested logit: shippers choose a group (nest), then a corridor inside it.

    Inside group g, corridor c gets exp(−θ·C_c/μ_g) / Σ_{c'∈g} exp(−θ·C_c'/μ_g); the group's
    composite cost is its logsum L_g = −(μ_g/θ)·ln Σ_{c∈g} exp(−θ·C_c/μ_g), and groups split by
    exp(−θ·L_g). μ_g = 1 for every group is the plain logit over all corridors; the smaller μ_g,
    the more the group's corridors compete with each other rather than with other groups.
    """
    c = np.asarray(costs, dtype=float)
    out = np.zeros(len(c))
    finite = np.isfinite(c)
    if not finite.any():
        return out
    names = list(dict.fromkeys(groups))
    member = {g: np.array([gi == g and finite[i] for i, gi in enumerate(groups)]) for g in names}
    composite = np.full(len(names), np.inf)
    inner: dict[str, np.ndarray] = {}
    for n, g in enumerate(names):
        if not member[g].any():
            continue
        mu = nest_scale.get(g, 1.0)
        low = float(c[member[g]].min())  # relative to the group's cheapest: no underflow
        z = np.exp(-scale * (c[member[g]] - low) / mu)
        inner[g] = z / z.sum()
        composite[n] = low - mu / scale * float(np.log(z.sum()))
    top = logit_shares(composite, scale)
    for n, g in enumerate(names):
        if g in inner:
            out[member[g]] = top[n] * inner[g]
    return out


def segmented_shares(costs: np.ndarray, groups: list[str], scale: float,
                     nest_scale: dict[str, float], avoided: dict[str, float]) -> np.ndarray:
    """Nested logit over two kinds of shipper: for each avoided group g a segment of share a_g
    chooses only among the other groups (g's corridors at infinite cost); the rest, 1 − Σ a_g,
    choose among all. A segment left without any corridor chooses as the rest do."""
    base = nested_shares(costs, groups, scale, nest_scale)
    present = {g: a for g, a in avoided.items() if a > 0 and g in groups}
    if not present:
        return base
    out = base * (1.0 - sum(present.values()))
    for g, a in present.items():
        c = np.where([gi == g for gi in groups], np.inf, np.asarray(costs, dtype=float))
        seg = nested_shares(c, groups, scale, nest_scale)
        out += a * (seg if seg.any() else base)
    return out
