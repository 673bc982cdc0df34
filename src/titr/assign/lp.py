"""The capacity-constrained min-cost multicommodity flow LP, path-based, solved with HiGHS.

    minimise   Σ_p cost_p · x_p + Σ_k penalty_k · u_k
    subject to Σ_{p ∈ k} x_p + u_k = demand_k          (each commodity k is carried or slack)
               Σ_p use_{r,p} · x_p ≤ 1                 (each resource r, as a share of capacity)
               x, u ≥ 0

Commodities are (demand item, corridor alternative) pairs. The dual of a capacity row is
what one more whole capacity of that resource would save a year; divided by its capacity in
tonnes it is the shadow price in USD per tonne of extra annual capacity.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from titr.model.errors import fail


@dataclass(frozen=True)
class LpProblem:
    path_cost: np.ndarray  # (P,) USD/t
    path_commodity: np.ndarray  # (P,) index of the commodity each path serves
    demand: np.ndarray  # (K,) t/yr
    penalty: np.ndarray  # (K,) USD/t for each tonne not carried
    usage: sparse.csr_matrix  # (R, P) share of resource r used per tonne on path p


@dataclass(frozen=True)
class LpSolution:
    flow: np.ndarray  # (P,) t/yr
    slack: np.ndarray  # (K,) t/yr not carried
    utilisation: np.ndarray  # (R,) share of capacity used
    dual: np.ndarray  # (R,) USD/yr per whole capacity (≥ 0: value of relaxing it)
    objective: float
    build_s: float
    solve_s: float


def solve(problem: LpProblem) -> LpSolution:
    t0 = time.perf_counter()
    n_p, n_k = len(problem.path_cost), len(problem.demand)
    n_r = problem.usage.shape[0]
    if n_p + n_k == 0:  # nothing to carry
        return LpSolution(np.zeros(0), np.zeros(0), np.zeros(n_r), np.zeros(n_r), 0.0, 0.0, 0.0)
    # scale to Mt so coefficients stay near 1 for the solver
    scale = 1e6
    cost = np.concatenate([problem.path_cost, problem.penalty]) * scale
    eq = sparse.hstack([
        sparse.csr_matrix((np.ones(n_p), (problem.path_commodity, np.arange(n_p))),
                          shape=(n_k, n_p)),
        sparse.identity(n_k, format="csr"),
    ], format="csr")
    usage = sparse.csr_matrix(problem.usage)
    ub = sparse.hstack([usage * scale, sparse.csr_matrix((usage.shape[0], n_k))], format="csr")
    t1 = time.perf_counter()
    res = linprog(cost, A_ub=ub if ub.shape[0] else None,
                  b_ub=np.ones(ub.shape[0]) if ub.shape[0] else None,
                  A_eq=eq, b_eq=problem.demand / scale, bounds=(0, None), method="highs")
    t2 = time.perf_counter()
    if res.status != 0:
        raise fail(f"the assignment LP could not be solved: {res.message}",
                   fix="check capacities and demand for impossible values")
    x = res.x * scale
    util = usage @ x[:n_p] if usage.shape[0] else np.zeros(0)
    dual = -np.asarray(res.ineqlin.marginals) if usage.shape[0] else np.zeros(0)
    return LpSolution(x[:n_p], x[n_p:], np.asarray(util), dual, float(res.fun),
                      t1 - t0, t2 - t1)
