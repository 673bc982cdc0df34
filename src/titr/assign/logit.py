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
