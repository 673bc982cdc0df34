"""Multinomial and nested logit route choice among corridors.

Every demand item is one choice situation among its corridors; a round of the assignment
splits all of them at once (:class:`ChoiceSets`, numpy over every corridor of every item).
The one-situation functions below are the same computation for a single item.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class ChoiceSets:
    """Many choice situations at once. Alternative k belongs to situation ``row[k]`` and,
    inside it, to the nest ``nest[k]`` (its corridor group in that situation)."""

    row: np.ndarray  # (K,) situation of each alternative
    nest: np.ndarray  # (K,) nest of each alternative
    nest_row: np.ndarray  # (N,) situation of each nest
    nest_mu: np.ndarray  # (N,) the nest's scale μ_g
    groups: dict[str, np.ndarray]  # group → (K,) is the alternative in it
    n_rows: int

    @classmethod
    def build(cls, rows: list[int], groups: list[str],
              nest_scale: dict[str, float]) -> ChoiceSets:
        nests: dict[tuple[int, str], int] = {}
        nest = np.array([nests.setdefault((r, g), len(nests)) for r, g in
                         zip(rows, groups, strict=True)], dtype=int)
        names = list(dict.fromkeys(groups))
        return cls(np.asarray(rows, dtype=int), nest,
                   np.array([r for r, _ in nests], dtype=int),
                   np.array([nest_scale.get(g, 1.0) for _, g in nests]),
                   {g: np.array([x == g for x in groups], dtype=bool) for g in names},
                   max(rows, default=-1) + 1)

    def nested(self, costs: np.ndarray, scale: float) -> np.ndarray:
        """Nested logit: shippers choose a group (nest), then a corridor inside it.

        Inside group g, corridor c gets exp(−θ·C_c/μ_g) / Σ_{c'∈g} exp(−θ·C_c'/μ_g); the
        group's composite cost is its logsum L_g = −(μ_g/θ)·ln Σ_{c∈g} exp(−θ·C_c/μ_g), and
        groups split by exp(−θ·L_g). μ_g = 1 for every group is the plain logit over all
        corridors; the smaller μ_g, the more the group's corridors compete with each other
        rather than with other groups. Infinite costs get share 0.
        """
        c = np.asarray(costs, dtype=float)
        finite = np.isfinite(c)
        n = len(self.nest_row)
        low = np.full(n, np.inf)  # relative to the group's cheapest: no underflow
        np.minimum.at(low, self.nest[finite], c[finite])
        mu = self.nest_mu[self.nest]
        with np.errstate(invalid="ignore"):
            z = np.where(finite, np.exp(-scale * (c - low[self.nest]) / mu), 0.0)
        total = np.bincount(self.nest, z, minlength=n)
        has = total > 0
        inner = np.divide(z, total[self.nest], out=np.zeros_like(z), where=finite)
        composite = np.full(n, np.inf)
        composite[has] = low[has] - self.nest_mu[has] / scale * np.log(total[has])
        best = np.full(self.n_rows, np.inf)
        np.minimum.at(best, self.nest_row[has], composite[has])
        with np.errstate(invalid="ignore"):
            e = np.where(has, np.exp(-scale * (composite - best[self.nest_row])), 0.0)
        top_total = np.bincount(self.nest_row, e, minlength=self.n_rows)
        top = np.divide(e, top_total[self.nest_row], out=np.zeros_like(e),
                        where=top_total[self.nest_row] > 0)
        out: np.ndarray = top[self.nest] * inner
        return out

    def segmented(self, costs: np.ndarray, scale: float,
                  avoided: dict[str, float]) -> np.ndarray:
        """Nested logit over two kinds of shipper: for each avoided group g a segment of share
        a_g chooses only among the other groups (g's corridors at infinite cost); the rest,
        1 − Σ a_g, choose among all. A segment left without any corridor chooses as the rest
        do. Groups a situation does not offer are not avoided in it."""
        base = self.nested(costs, scale)
        present = {g: a for g, a in avoided.items() if a > 0 and g in self.groups}
        if not present:
            return base
        offered = {g: np.bincount(self.row, self.groups[g], minlength=self.n_rows)[self.row] > 0
                   for g in present}
        avoiding = np.zeros(len(base))
        for g, a in present.items():
            avoiding += np.where(offered[g], a, 0.0)
        out = base * (1.0 - avoiding)
        c = np.asarray(costs, dtype=float)
        for g, a in present.items():
            seg = self.nested(np.where(self.groups[g], np.inf, c), scale)
            left = np.bincount(self.row, seg != 0, minlength=self.n_rows)[self.row] > 0
            out += np.where(offered[g], a * np.where(left, seg, base), 0.0)
        return out


def nested_shares(costs: np.ndarray, groups: list[str], scale: float,
                  nest_scale: dict[str, float]) -> np.ndarray:
    """Nested logit shares of one choice situation (see :meth:`ChoiceSets.nested`)."""
    return ChoiceSets.build([0] * len(groups), groups, nest_scale).nested(costs, scale)


def segmented_shares(costs: np.ndarray, groups: list[str], scale: float,
                     nest_scale: dict[str, float], avoided: dict[str, float]) -> np.ndarray:
    """Shares of one choice situation with avoiding segments (see
    :meth:`ChoiceSets.segmented`)."""
    return ChoiceSets.build([0] * len(groups), groups, nest_scale).segmented(costs, scale,
                                                                            avoided)
