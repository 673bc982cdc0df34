"""The capacity-constrained min-cost multicommodity flow LP, path-based, solved with HiGHS.

    minimise   Σ_p cost_p x_p + Σ_k penalty_k u_k + Σ_{r,c,s} seg_cost_{r,c,s} z_{r,c,s}
    subject to Σ_{p ∈ k} x_p + u_k − Σ_{k' → k} u_k' = demand_k
                                            each commodity: carried, slack, or taking the slack
                                            of commodities k' whose fallback it is
               Σ_p use_{r,p} x_p ≤ 1                           plain resources (share of capacity)
               Σ_{p of class c} use_{r,p} x_p = Σ_s z_{r,c,s}  congested resources …
               Σ_c z_{r,c,s} ≤ width_s                         … filled segment by segment
               x, u, z ≥ 0

Congested resources (sea services) carry a convex, piecewise-linear wait cost: their capacity
is cut into segments of utilisation whose cost per tonne is the expected wait there times the
cargo's value of time. Minimising the sum of these costs is Beckmann's formulation, so cargo
spreads over parallel services until their waits are equal (a user equilibrium) instead of
piling onto whichever is cheapest. The segments' widths add up to one: utilisation never
exceeds capacity. Cargo diverted from the middle corridor rides its fallback corridor's paths
inside the LP, so it too counts against every capacity it uses. The dual of a capacity is
what one more whole capacity saves a year (for a congested resource, the relief of every
segment); divided by the capacity in tonnes it is the shadow price per tonne of extra annual
capacity.

The matrix is built once per year with numpy and handed to HiGHS; the rounds of route choice
only change costs, demands and fallbacks, and HiGHS starts each solve from the previous basis.
"""

from __future__ import annotations

import os
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import highspy
import numpy as np
from scipy import sparse

from titr.model.errors import fail

SCALE = 1e6  # path flows in Mt, so coefficients stay near 1 for the solver
INF = highspy.kHighsInf


@dataclass(frozen=True)
class Congestion:
    resources: np.ndarray  # (Rc,) indices of congested resources, ascending
    widths: np.ndarray  # (S,) utilisation widths of the segments, summing to 1
    costs: np.ndarray  # (Rc, C, S) USD/yr per unit of utilisation, for class c in segment s
    path_class: np.ndarray  # (P,) class index of each path


# Names of the LP's rows and columns: what each is, never where it is.
Row = tuple[Any, ...]  # ("demand", k) | ("capacity", resource) | ("balance", resource, class)
#                        | ("segment", resource, s)
Column = tuple[Any, ...]  # ("path", j) | ("slack", k) | ("fill", resource, class, s)


@dataclass(frozen=True)
class LpSolution:
    flow: np.ndarray  # (P,) t/yr
    slack: np.ndarray  # (K,) t/yr not carried
    utilisation: np.ndarray  # (R,) share of capacity used
    dual: np.ndarray  # (R,) USD/yr per whole capacity (≥ 0: value of relaxing it)
    objective: float
    build_s: float
    solve_s: float
    resources: tuple[Hashable, ...] = ()  # the resources' keys, in the order of ``dual``

    @property
    def duals(self) -> dict[Hashable, float]:
        """USD/yr per whole capacity, by resource key."""
        return dict(zip(self.resources, self.dual.tolist(), strict=True))


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance (its first construction prints a banner on fd 1: hide it)."""
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


class CapacityLp:
    """One year's LP: fixed structure, changing costs, penalties and demands."""

    def __init__(self, path_commodity: np.ndarray, n_commodities: int,
                 usage: sparse.csr_matrix, congestion: Congestion | None = None,
                 resources: Sequence[Hashable] | None = None):
        """``resources`` names the rows of ``usage`` (their keys; their positions if not
        given): the LP's rows, columns and duals are named after them."""
        t0 = time.perf_counter()
        self.n_p, self.n_k = len(path_commodity), n_commodities
        self.usage = sparse.csr_matrix(usage)
        self.n_r = self.usage.shape[0]
        self.resources = tuple(resources) if resources is not None else tuple(range(self.n_r))
        self.cong = congestion
        congested = np.zeros(self.n_r, dtype=bool)
        if congestion is not None:
            congested[congestion.resources] = True
        self.congested = congested
        n_rc = int(congested.sum())
        n_c = congestion.costs.shape[1] if congestion is not None and n_rc else 0
        n_s = len(congestion.widths) if congestion is not None and n_rc else 0
        self.n_z = n_rc * n_c * n_s
        self.n_plain = self.n_r - n_rc
        n_p, n_k = self.n_p, self.n_k
        rows, cols, vals = [np.asarray(path_commodity), np.arange(n_k)], \
            [np.arange(n_p), n_p + np.arange(n_k)], [np.ones(n_p), np.ones(n_k)]
        u = self.usage.tocoo()
        # plain capacity rows come after the K demand rows
        plain_pos = np.cumsum(~congested) - 1
        keep = ~congested[u.row]
        rows.append(n_k + plain_pos[u.row[keep]])
        cols.append(u.col[keep])
        vals.append(u.data[keep] * SCALE)
        lower = [np.zeros(n_k), np.full(self.n_plain, -INF)]
        upper = [np.zeros(n_k), np.ones(self.n_plain)]
        if self.n_z:
            assert congestion is not None
            cpos = np.cumsum(congested) - 1
            base = n_k + self.n_plain
            hit = congested[u.row]
            # balance rows (r, c): paths' use of r by class c minus the segments' fill = 0
            rows.append(base + cpos[u.row[hit]] * n_c + congestion.path_class[u.col[hit]])
            cols.append(u.col[hit])
            vals.append(u.data[hit] * SCALE)
            z = np.arange(self.n_z)
            rows.append(base + z // n_s)
            cols.append(n_p + n_k + z)
            vals.append(-np.ones(self.n_z))
            # segment rows (r, s): all classes' fill of segment s ≤ its width
            seg_base = base + n_rc * n_c
            rows.append(seg_base + (z // (n_c * n_s)) * n_s + z % n_s)
            cols.append(n_p + n_k + z)
            vals.append(np.ones(self.n_z))
            lower += [np.zeros(n_rc * n_c), np.full(n_rc * n_s, -INF)]
            upper += [np.zeros(n_rc * n_c), np.tile(congestion.widths, n_rc)]
        self.row_lower, self.row_upper = np.concatenate(lower), np.concatenate(upper)
        self._shape = (n_c, n_s)
        self.row_of = {name: i for i, name in enumerate(self.rows)}
        # where each resource's dual is read: its capacity row, or its segment rows
        widths = congestion.widths if congestion is not None and self.n_z else np.zeros(0)
        self._widths = widths
        self._dual_rows = [
            [self.row_of["capacity", key]] if not self.congested[r] else
            [self.row_of["segment", key, s] for s in range(len(widths))] if self.n_z else []
            for r, key in enumerate(self.resources)]
        self._plain = np.flatnonzero(~congested)  # their duals are their capacity rows'
        self._plain_rows = np.array([self._dual_rows[r][0] for r in self._plain], dtype=int)
        n_rows, n_cols = len(self.row_lower), n_p + n_k + self.n_z
        a = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(n_rows, n_cols))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, n_rows
        lp.col_cost_ = np.zeros(n_cols)
        if self.n_z:
            assert congestion is not None
            lp.col_cost_[n_p + n_k:] = congestion.costs.ravel()
        lp.col_lower_, lp.col_upper_ = np.zeros(n_cols), np.full(n_cols, INF)
        lp.row_lower_, lp.row_upper_ = self.row_lower, self.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self.highs = _new_highs()
        self.highs.passModel(lp)
        self.fallback = np.full(n_k, -1)  # the fallback links now in the matrix
        self.build_s = time.perf_counter() - t0

    @cached_property
    def rows(self) -> list[Row]:
        """The rows, in the order the matrix has them."""
        n_c, n_s = self._shape
        keys = self.resources
        jammed = [keys[r] for r in np.flatnonzero(self.congested)]
        rows: list[Row] = [("demand", k) for k in range(self.n_k)]
        rows += [("capacity", keys[r]) for r in np.flatnonzero(~self.congested)]
        rows += [("balance", key, c) for key in jammed for c in range(n_c)] if self.n_z else []
        rows += [("segment", key, s) for key in jammed for s in range(n_s)] if self.n_z else []
        return rows

    @cached_property
    def columns(self) -> list[Column]:
        """The columns, in the order the matrix has them."""
        n_c, n_s = self._shape
        jammed = [self.resources[r] for r in np.flatnonzero(self.congested)]
        cols: list[Column] = [("path", j) for j in range(self.n_p)]
        cols += [("slack", k) for k in range(self.n_k)]
        cols += [("fill", key, c, s) for key in jammed for c in range(n_c)
                 for s in range(n_s)] if self.n_z else []
        return cols

    def solve(self, path_cost: np.ndarray, demand: np.ndarray, penalty: np.ndarray,
              fallback: np.ndarray | None = None) -> LpSolution:
        """``fallback[k]`` is the commodity whose paths carry k's slack (−1: none; the slack
        is then left unserved)."""
        t0 = time.perf_counter()
        h, n_p, n_k = self.highs, self.n_p, self.n_k
        if n_p + n_k == 0:
            return LpSolution(np.zeros(0), np.zeros(0), np.zeros(self.n_r), np.zeros(self.n_r),
                              0.0, self.build_s, 0.0, self.resources)
        wanted = np.full(n_k, -1) if fallback is None else np.asarray(fallback)
        for k in np.flatnonzero(wanted != self.fallback):
            if self.fallback[k] >= 0:
                h.changeCoeff(int(self.fallback[k]), n_p + int(k), 0.0)
            if wanted[k] >= 0:
                h.changeCoeff(int(wanted[k]), n_p + int(k), -1.0)
        self.fallback = wanted.copy()
        idx = np.arange(n_p + n_k, dtype=np.int32)
        h.changeColsCost(len(idx), idx, np.concatenate([path_cost, penalty]) * SCALE)
        rows = np.arange(n_k, dtype=np.int32)
        d = np.asarray(demand, dtype=float) / SCALE
        h.changeRowsBounds(n_k, rows, d, d)  # type: ignore[attr-defined]
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise fail(f"the assignment LP could not be solved: {h.modelStatusToString(status)}",
                       fix="check capacities and demand for impossible values")
        sol = h.getSolution()
        x = np.asarray(sol.col_value) * SCALE
        row_dual = -np.asarray(sol.row_dual)
        dual = np.zeros(self.n_r)
        # the value of relaxing its capacity row, or the relief of every segment of its
        # utilisation
        dual[self._plain] = row_dual[self._plain_rows]
        for r in np.flatnonzero(self.congested).tolist():
            dual[r] = row_dual[self._dual_rows[r]] @ self._widths
        util = self.usage @ x[:n_p]
        objective = float(h.getInfo().objective_function_value)
        return LpSolution(x[:n_p], x[n_p:n_p + n_k], np.asarray(util), dual, objective,
                          self.build_s, time.perf_counter() - t0, self.resources)


@dataclass(frozen=True)
class LpProblem:
    """A one-off problem (tests, small uses): build and solve in one call."""

    path_cost: np.ndarray
    path_commodity: np.ndarray
    demand: np.ndarray
    penalty: np.ndarray
    usage: sparse.csr_matrix
    congestion: Congestion | None = None


def solve(problem: LpProblem) -> LpSolution:
    lp = CapacityLp(problem.path_commodity, len(problem.demand), problem.usage,
                    problem.congestion)
    return lp.solve(problem.path_cost, problem.demand, problem.penalty)
