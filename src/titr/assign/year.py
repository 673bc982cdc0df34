"""One year's assignment: logit route choice and the capacity LP, iterated until flows settle.

Each round: path costs include the expected wait for each sea service at its current
utilisation → each contestable demand item splits among its alternatives by logit → the LP
carries what capacity allows (the rest of the middle corridor's share falls back to the next
alternative, captive cargo is left unserved) → the LP's utilisation gives new waits. Shares and
waits are averaged over rounds (method of successive averages), which converges; the
remaining gap is the largest change of a share in the last round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from titr.assign.candidates import INTERNAL_GROUP, Commodity, commodities
from titr.assign.congestion import vessel_wait_hours
from titr.assign.logit import logit_shares
from titr.assign.lp import LpProblem, LpSolution, solve
from titr.assign.resources import Resource, build_resources, path_usage
from titr.model import cargo as cargo_units
from titr.model.capacity import fleet_capacity
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
    waits: dict[str, float]  # service arc → hours waiting for a vessel
    gap: float
    iterations: int
    build_s: float = 0.0
    solve_s: float = 0.0
    alt_cost: dict[int, float] = field(default_factory=dict)  # commodity → cheapest path cost


@dataclass(frozen=True)
class Options:
    max_iterations: int = 60
    tolerance: float = 1e-3
    waits: dict[str, float] | None = None  # fixed waits per service (e.g. simulated), hours


def _service_waits(net: Network, resources: list[Resource], util: np.ndarray) -> dict[str, float]:
    waits = {}
    for r, u in zip(resources, util, strict=True):
        if r.kind != "service":
            continue
        caps = [fleet_capacity(net, f) for f in net.fleets_of(r.element)]
        vessels = sum(c.vessels for c in caps)
        sailings = sum(c.sailings_per_year for c in caps)
        waits[r.key.removeprefix("service:")] = vessel_wait_hours(float(u), vessels, sailings)
    return waits


def _wait_matrix(net: Network, paths: list[Path], arcs: list[str]) -> sparse.csr_matrix:
    """(P, S): value of time (USD/t/h) where path p waits at service arc s."""
    index = {a: i for i, a in enumerate(arcs)}
    rows, cols, vals = [], [], []
    for i, p in enumerate(paths):
        cargo = net.cargo[p.cargo]
        vot = cargo_units.per_tonne(cargo.value_of_time, cargo) * net.parameters.vot_scale.to("1")
        for a in p.arcs:
            if a in index:
                rows.append(i)
                cols.append(index[a])
                vals.append(vot)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(paths), len(arcs)))


def assign_year(net: Network, rows: list[DemandRow], options: Options | None = None) -> YearOutcome:
    options = options or Options()
    comms = commodities(net, rows)
    res_map = build_resources(net)
    resources = list(res_map.values())
    res_index = {r.key: i for i, r in enumerate(resources)}
    paths = [p for c in comms for p in c.paths]
    path_comm = np.array([k for k, c in enumerate(comms) for _ in c.paths], dtype=int)
    base_cost = np.array([p.cost for p in paths])
    r_idx, p_idx, vals = [], [], []
    for j, p in enumerate(paths):
        for key, share in path_usage(p, res_map).items():
            r_idx.append(res_index[key])
            p_idx.append(j)
            vals.append(share)
    usage = sparse.csr_matrix((vals, (r_idx, p_idx)), shape=(len(resources), len(paths)))

    arcs = [r.key.removeprefix("service:") for r in resources if r.kind == "service"]
    wait_w = _wait_matrix(net, paths, arcs)
    base_wait = np.array([_leg_wait(paths, a) for a in arcs])
    theta = net.parameters.logit_scale.to("1/USD")
    penalty_captive = net.parameters.unserved_penalty.to("USD/t")

    # demand items and their alternatives
    by_row: dict[str, list[int]] = {}
    for k, c in enumerate(comms):
        by_row.setdefault(c.demand.id, []).append(k)
    totals = {r.id: r.tonnes for r in rows}

    def costs_with(waits: np.ndarray) -> np.ndarray:
        return base_cost + wait_w @ (waits - base_wait) if len(arcs) else base_cost.copy()

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

    if options.waits is not None:
        waits = np.array([options.waits.get(a.rstrip(">"), options.waits.get(a, w))
                          for a, w in zip(arcs, base_wait, strict=True)])
    else:
        waits = base_wait.copy()
    cost = costs_with(waits)
    demand = targets(cost)
    gap, n, build_s, solve_s = 1.0, 0, 0.0, 0.0
    fallback = _fallbacks(comms, by_row, alt_costs(cost))
    sol: LpSolution | None = None
    step = np.full(len(arcs), 0.5)
    last_residual = np.zeros(len(arcs))
    while n < options.max_iterations:
        n += 1
        ac = alt_costs(cost)
        penalty = _penalties(comms, fallback, ac, cost, path_comm, theta, penalty_captive)
        sol = solve(LpProblem(cost, path_comm, demand, penalty, usage))
        build_s += sol.build_s
        solve_s += sol.solve_s
        if options.waits is not None or not len(arcs):
            break  # fixed waits: route choice does not depend on the flows
        new = _service_waits(net, resources, sol.utilisation)
        residual = np.array([new[a] for a in arcs]) - waits
        # The wait a service's flows imply falls as its wait rises (dearer → less cargo), so
        # each wait is bracketed: halve its step when the residual changes sign (a per-service
        # bisection), lengthen it while the sign holds.
        flipped = np.sign(residual) * np.sign(last_residual) < 0
        step = np.where(flipped, step * 0.5, np.minimum(step * 1.25, 1.0))
        last_residual = residual
        waits = np.maximum(waits + step * residual, 0.0)
        cost = costs_with(waits)
        new_demand = targets(cost)
        gap = max(_largest(np.abs(residual) / (1.0 + waits)),
                  _largest(np.abs(new_demand - demand)) / max(sum(totals.values()), 1.0))
        demand = new_demand
        if gap < options.tolerance:
            break
    assert sol is not None
    ac = alt_costs(cost)
    fallback = _fallbacks(comms, by_row, ac)
    sol = solve(LpProblem(cost, path_comm, demand,
                          _penalties(comms, fallback, ac, cost, path_comm, theta,
                                     penalty_captive), usage))
    return YearOutcome(net, comms, paths, path_comm, cost, resources, sol, demand, fallback,
                       dict(zip(arcs, waits.tolist(), strict=True)), gap, n, build_s, solve_s,
                       {k: float(v) for k, v in enumerate(ac)})


def _largest(values: np.ndarray) -> float:
    return float(values.max()) if values.size else 0.0


def _leg_wait(paths: list[Path], arc: str) -> float:
    sid = arc.rstrip(">")
    for p in paths:
        for leg in p.legs:
            if leg.kind == "service" and leg.id == sid:
                return leg.wait_hours
    return 0.0


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
    """USD/t for each tonne of a commodity the LP does not carry.

    Middle-corridor cargo that cannot be carried falls back to its cheapest other corridor;
    the price is that corridor's cost plus 1/θ, the logit's measure of what the shippers who
    chose the middle corridor value it at beyond the measured cost — and never less than the
    commodity's own dearest path, so the LP drops cargo only when capacity forces it to.
    """
    out = np.empty(len(comms))
    for k in range(len(comms)):
        own = cost[path_comm == k]
        dearest = float(own.max()) if own.size else 0.0
        j = fallback[k]
        if j is None:
            out[k] = max(captive, dearest + 1.0)
        else:
            out[k] = max(float(ac[j]) + 1.0 / theta, dearest + 1.0)
    return out
