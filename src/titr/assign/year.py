"""One year's assignment: logit route choice and the capacity LP, iterated until flows settle.

Each round: each contestable demand item splits among its corridors by logit on generalized
cost, including the expected wait for each sea service at its utilisation → the LP carries
what capacity allows, spreading cargo over parallel services until their waits are equal (the
congested equilibrium, see lp.py); the rest of the middle corridor's share falls back to the
next corridor and captive cargo is left unserved → the LP's utilisation gives new waits and
costs. The split is averaged over rounds (method of successive averages), which converges;
the remaining gap is the largest change of a share the last round asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from titr.assign.candidates import INTERNAL_GROUP, Commodity, commodities
from titr.assign.logit import logit_shares
from titr.assign.lp import CapacityLp, LpSolution
from titr.assign.queues import Queues, build_queues, congestion
from titr.assign.resources import Resource, build_resources, path_usage
from titr.model.demand import DemandRow
from titr.model.network import Network
from titr.routing.paths import Path


@dataclass
class YearOutcome:
    network: Network
    commodities: list[Commodity]
    paths: list[Path]
    path_commodity: np.ndarray
    path_cost: np.ndarray  # final, with congested waits, USD/t
    resources: list[Resource]
    solution: LpSolution
    demand: np.ndarray  # per commodity, t/yr, after route choice
    fallback: list[int | None]  # per commodity: where its slack goes (commodity index)
    waits: dict[str, float]  # queue (service arc, border:x, gauge:x) → hours waited
    gap: float
    iterations: int
    build_s: float = 0.0
    solve_s: float = 0.0
    prepared: Prepared | None = None


@dataclass(frozen=True)
class Options:
    max_iterations: int = 60
    tolerance: float = 1e-3
    waits: dict[str, float] | None = None  # fixed waits per service (e.g. simulated), hours
    closed: tuple[str, ...] = ()  # corridors (ids or groups) closed to all cargo


@dataclass
class Prepared:
    """What one network needs before any demand is split: paths, resources, the LP. Years
    whose network is the same (no project opened in between) share it."""

    comms: list[Commodity]
    resources: list[Resource]
    paths: list[Path]
    path_comm: np.ndarray
    base_cost: np.ndarray
    usage: sparse.csr_matrix
    queues: Queues
    lp: CapacityLp


def prepare(net: Network, rows: list[DemandRow], congested: bool = True,
            closed: tuple[str, ...] = ()) -> Prepared:
    comms = commodities(net, rows, closed=closed)
    res_map = build_resources(net)
    resources = list(res_map.values())
    res_index = {r.key: i for i, r in enumerate(resources)}
    paths = [p for c in comms for p in c.paths]
    path_comm = np.array([k for k, c in enumerate(comms) for _ in c.paths], dtype=int)
    r_idx, p_idx, vals = [], [], []
    for j, p in enumerate(paths):
        for key, share in path_usage(p, res_map).items():
            r_idx.append(res_index[key])
            p_idx.append(j)
            vals.append(share)
    usage = sparse.csr_matrix((vals, (r_idx, p_idx)), shape=(len(resources), len(paths)))
    q = build_queues(net, resources, paths, usage)
    cong = congestion(q, net, resources, paths) if congested and paths and q.index else None
    return Prepared(comms, resources, paths, path_comm, np.array([p.cost for p in paths]),
                    usage, q, CapacityLp(path_comm, len(comms), usage, cong))


def assign_year(net: Network, rows: list[DemandRow], options: Options | None = None,
                prepared: Prepared | None = None) -> YearOutcome:
    """Assign one year; ``prepared`` (from an earlier year with the same network) saves
    building paths and the LP again."""
    options = options or Options()
    fixed = options.waits
    pre = prepared or prepare(net, rows, congested=fixed is None, closed=options.closed)
    row_of = {r.id: r for r in rows}
    comms = [Commodity(row_of[c.demand.id], c.alternative, c.paths) for c in pre.comms]
    resources, paths, path_comm, base_cost = pre.resources, pre.paths, pre.path_comm, \
        pre.base_cost
    q = pre.queues
    theta = net.parameters.logit_scale.to("1/USD")
    penalty_captive = net.parameters.unserved_penalty.to("USD/t")
    lp = pre.lp

    by_row: dict[str, list[int]] = {}
    for k, c in enumerate(comms):
        by_row.setdefault(c.demand.id, []).append(k)
    totals = {r.id: r.tonnes for r in rows}

    def costs_with(waits: np.ndarray) -> np.ndarray:
        return base_cost + q.weight @ (waits - q.base) if q.index else base_cost.copy()

    def alt_costs(path_cost: np.ndarray) -> np.ndarray:
        out = np.full(len(comms), np.inf)
        np.minimum.at(out, path_comm, path_cost)
        return out

    def targets(path_cost: np.ndarray) -> np.ndarray:
        ac = alt_costs(path_cost)
        d = np.zeros(len(comms))
        for rid, ks in by_row.items():
            shares = logit_shares(ac[ks], theta) if len(ks) > 1 else np.ones(1)
            d[ks] = shares * totals[rid]
        return d

    def waits_at(util: np.ndarray) -> np.ndarray:
        return q.waits_at(util, fixed)

    waits = waits_at(np.zeros(len(resources)))
    cost = costs_with(waits)
    demand = targets(cost)
    gap, n, build_s, solve_s, beta = 1.0, 0, 0.0, 0.0, 1.0
    sol: LpSolution | None = None
    fallback = _fallbacks(comms, by_row, alt_costs(cost))
    # Route choice between corridors by successive averages of the logit split; inside the
    # corridor the LP finds the congested equilibrium for the current split.
    while n < options.max_iterations:
        n += 1
        penalty = _penalties(comms, fallback, alt_costs(cost), cost, path_comm, theta,
                             penalty_captive)
        sol = lp.solve(cost if lp.cong is None else base_cost, demand, penalty,
                       np.array([-1 if f is None else f for f in fallback]))
        build_s = sol.build_s
        solve_s += sol.solve_s
        waits = waits_at(sol.utilisation)
        cost = costs_with(waits)
        target = targets(cost)
        last_gap = gap
        gap = _largest(np.abs(target - demand)) / max(sum(totals.values()), 1.0)
        if gap < options.tolerance:
            break
        # self-regulated averaging (Liu, He & He 2009): the step 1/β shrinks fast
        # when the gap grows (oscillation) and slowly while it falls
        beta += 2.0 if gap > last_gap else 0.05
        demand = demand + (target - demand) / beta
        fallback = _fallbacks(comms, by_row, alt_costs(cost))
    assert sol is not None
    return YearOutcome(net, comms, paths, path_comm, cost, resources, sol, demand, fallback,
                       dict(zip(q.keys, waits.tolist(), strict=True)), gap, n, build_s, solve_s,
                       pre)


def _largest(values: np.ndarray) -> float:
    return float(values.max()) if values.size else 0.0


def _fallbacks(comms: list[Commodity], by_row: dict[str, list[int]],
               ac: np.ndarray) -> list[int | None]:
    """Where each middle-corridor commodity's slack goes: the same demand item's cheapest
    other alternative. None for captive cargo and for alternatives outside the middle."""
    out: list[int | None] = []
    for c in comms:
        others = [k for k in by_row[c.demand.id] if comms[k].alternative != c.alternative]
        if c.alternative == INTERNAL_GROUP and c.demand.kind == "contestable" and others:
            out.append(min(others, key=lambda k: float(ac[k])))
        else:
            out.append(None)
    return out


def _penalties(comms: list[Commodity], fallback: list[int | None], ac: np.ndarray,
               cost: np.ndarray, path_comm: np.ndarray, theta: float,
               captive: float) -> np.ndarray:
    """USD/t for each tonne of a commodity the LP does not carry on its own paths.

    Middle-corridor cargo that cannot be carried moves to its fallback corridor, whose path
    cost the LP pays; the penalty on top is 1/θ, the logit's measure of what the shippers who
    chose the middle corridor value it at beyond the measured cost — and at least the gap
    between the commodity's dearest path and the fallback, so the LP moves cargo only when
    capacity forces it to. Captive cargo has no fallback: its penalty is the scenario's
    unserved penalty (at least above its dearest path).
    """
    out = np.empty(len(comms))
    for k in range(len(comms)):
        own = cost[path_comm == k]
        dearest = float(own.max()) if own.size else 0.0
        j = fallback[k]
        if j is None:
            out[k] = max(captive, dearest + 1.0)
        else:
            out[k] = max(1.0 / theta, dearest - float(ac[j]) + 1.0)
    return out
