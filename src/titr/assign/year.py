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

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from titr.assign.candidates import INTERNAL_GROUP, Commodity, commodities
from titr.assign.congestion import vessel_wait_hours
from titr.assign.logit import logit_shares
from titr.assign.lp import CapacityLp, Congestion, LpSolution
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
    prepared: Prepared | None = None


@dataclass(frozen=True)
class Options:
    max_iterations: int = 60
    tolerance: float = 1e-3
    waits: dict[str, float] | None = None  # fixed waits per service (e.g. simulated), hours


SEGMENTS = np.array([0.0, 0.3, 0.5, 0.62, 0.72, 0.8, 0.86, 0.9, 0.93, 0.95, 0.97, 0.985, 1.0])


def _wait_model(net: Network, resources: list[Resource]) -> dict[str, tuple[float, float]]:
    """Service arc → (vessels, sailings a year), the inputs of its wait function."""
    out = {}
    for r in resources:
        if r.kind == "service":
            caps = [fleet_capacity(net, f) for f in net.fleets_of(r.element)]
            out[r.key.removeprefix("service:")] = (sum(c.vessels for c in caps),
                                                   sum(c.sailings_per_year for c in caps))
    return out


def _congestion(net: Network, resources: list[Resource], paths: list[Path],
                model: dict[str, tuple[float, float]]) -> Congestion:
    """Piecewise-linear wait costs of the sea services (see lp.py): the queueing delay at the
    middle of each utilisation segment × the class's value of time × capacity in tonnes."""
    classes = sorted({p.cargo for p in paths})
    vot = [cargo_units.per_tonne(net.cargo[c].value_of_time, net.cargo[c])
           * net.parameters.vot_scale.to("1") for c in classes]
    idx = [i for i, r in enumerate(resources) if r.kind == "service"]
    mids = (SEGMENTS[:-1] + SEGMENTS[1:]) / 2
    costs = np.zeros((len(idx), len(classes), len(mids)))
    for a, i in enumerate(idx):
        vessels, sailings = model[resources[i].key.removeprefix("service:")]
        base = vessel_wait_hours(0.0, vessels, sailings)
        delay = np.array([vessel_wait_hours(m, vessels, sailings) - base for m in mids])
        for c, cid in enumerate(classes):
            cap = resources[i].tonnes.get(cid, 0.0)
            costs[a, c] = vot[c] * delay * cap
    return Congestion(np.array(idx, dtype=int), np.diff(SEGMENTS), costs,
                      np.array([classes.index(p.cargo) for p in paths], dtype=int))


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
    service_idx: list[int]
    arcs: list[str]
    wait_w: sparse.csr_matrix
    base_wait: np.ndarray
    model: dict[str, tuple[float, float]]
    lp: CapacityLp


def prepare(net: Network, rows: list[DemandRow], congested: bool = True) -> Prepared:
    comms = commodities(net, rows)
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
    service_idx = [i for i, r in enumerate(resources) if r.kind == "service"]
    arcs = [resources[i].key.removeprefix("service:") for i in service_idx]
    model = _wait_model(net, resources)
    congestion = _congestion(net, resources, paths, model) if congested and paths else None
    return Prepared(comms, resources, paths, path_comm, np.array([p.cost for p in paths]),
                    usage, service_idx, arcs, _wait_matrix(net, paths, arcs),
                    np.array([_leg_wait(paths, a) for a in arcs]), model,
                    CapacityLp(path_comm, len(comms), usage, congestion))


def assign_year(net: Network, rows: list[DemandRow], options: Options | None = None,
                prepared: Prepared | None = None) -> YearOutcome:
    """Assign one year; ``prepared`` (from an earlier year with the same network) saves
    building paths and the LP again."""
    options = options or Options()
    fixed = options.waits
    pre = prepared or prepare(net, rows, congested=fixed is None)
    row_of = {r.id: r for r in rows}
    comms = [Commodity(row_of[c.demand.id], c.alternative, c.paths) for c in pre.comms]
    resources, paths, path_comm, base_cost = pre.resources, pre.paths, pre.path_comm, \
        pre.base_cost
    service_idx, arcs, wait_w, base_wait, model = pre.service_idx, pre.arcs, pre.wait_w, \
        pre.base_wait, pre.model
    theta = net.parameters.logit_scale.to("1/USD")
    penalty_captive = net.parameters.unserved_penalty.to("USD/t")
    lp = pre.lp
    congestion = lp.cong

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

    def waits_at(util: np.ndarray) -> np.ndarray:
        if fixed is not None:
            return np.array([fixed.get(a.rstrip(">"), fixed.get(a, w))
                             for a, w in zip(arcs, base_wait, strict=True)])
        return np.array([vessel_wait_hours(float(util[i]), *model[a])
                         for i, a in zip(service_idx, arcs, strict=True)])

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
        sol = lp.solve(cost if congestion is None else base_cost, demand, penalty)
        build_s = sol.build_s
        solve_s += sol.solve_s
        waits = waits_at(sol.utilisation)
        cost = costs_with(waits)
        target = targets(cost)
        last_gap = gap
        gap = _largest(np.abs(target - demand)) / max(sum(totals.values()), 1.0)
        if gap < options.tolerance:
            break
        # self-regulated averaging (Liu, Ban & Mirchandani 2009): the step 1/β shrinks fast
        # when the gap grows (oscillation) and slowly while it falls
        beta += 2.0 if gap > last_gap else 0.05
        demand = demand + (target - demand) / beta
        fallback = _fallbacks(comms, by_row, alt_costs(cost))
    assert sol is not None
    return YearOutcome(net, comms, paths, path_comm, cost, resources, sol, demand, fallback,
                       dict(zip(arcs, waits.tolist(), strict=True)), gap, n, build_s, solve_s,
                       {k: float(v) for k, v in enumerate(alt_costs(cost))}, pre)


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
