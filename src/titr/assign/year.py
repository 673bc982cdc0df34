"""One year's assignment: nested-logit route choice and the capacity LP, iterated until flows
settle.

Each round: each demand item splits among the corridors it may use by a nested logit (groups,
then corridors, see logit.py) on generalized cost, including the expected wait for each sea
service at its utilisation and the shadow price of every full capacity on the way (what
queueing for it costs) → the LP carries each corridor's part on that corridor's paths as far as
capacity allows, spreading cargo over parallel services until their waits are equal (the
congested equilibrium, see lp.py); what a full corridor cannot carry goes to the item's
cheapest corridor without capacity limits (or, failing that, its next dearer corridor), and
what nothing can carry is unserved, priced by the item's real alternative → the LP's
utilisation and duals give new waits, tolls and costs. The split is averaged over rounds
(method of successive averages); the remaining gap is the largest change of a share the last
round asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from titr.assign.candidates import Commodity, commodities
from titr.assign.logit import ChoiceSets
from titr.assign.lp import CapacityLp, LpSolution
from titr.assign.queue_waits import Queues, build_queues, congestion
from titr.assign.resources import Resource, ResourceKey, build_resources, usage_matrix
from titr.model import cargo as cargo_units
from titr.model.demand import DemandRow
from titr.model.network import Network
from titr.routing.corridor_paths import Path


class Round(NamedTuple):
    """One round of route choice: how far the split still moved (see ``gap`` of
    :class:`YearOutcome`), the step taken towards the new split (1/β) and the LP's cost."""

    iteration: int
    gap: float
    step: float
    objective: float


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
    waits: dict[ResourceKey, float]  # queue (a sea service one way, border, gauge) → hours
    gap: float
    iterations: int
    penalty: np.ndarray | None = None  # per commodity: USD/t the LP charged for its slack
    build_s: float = 0.0
    solve_s: float = 0.0
    prepared: Prepared | None = None
    derived: dict[Any, Any] = field(default_factory=dict)  # tables' lookups, built once
    convergence: list[Round] = field(default_factory=list)  # every round, in order


@dataclass(frozen=True)
class Options:
    max_iterations: int = 60
    tolerance: float = 1e-3
    waits: dict[str, float] | None = None  # fixed waits per service (e.g. simulated), hours
    closed: tuple[str, ...] = ()  # corridors (ids or groups) closed to all cargo
    # what-if for elasticities: corridor group → (factor on its money cost, extra hours)
    shift: dict[str, tuple[float, float]] | None = None


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
    capacitated: np.ndarray  # per commodity: do its paths use any capacity?
    derived: dict[Any, Any] = field(default_factory=dict)  # tables' lookups of these paths


def prepare(net: Network, rows: list[DemandRow], congested: bool = True,
            closed: tuple[str, ...] = ()) -> Prepared:
    comms = commodities(net, rows, closed=closed)
    resources = list(build_resources(net).values())
    paths = [p for c in comms for p in c.paths]
    path_comm = np.array([k for k, c in enumerate(comms) for _ in c.paths], dtype=int)
    usage = usage_matrix(paths, resources)
    q = build_queues(net, resources, paths, usage)
    cong = congestion(q, net, resources, paths) if congested and paths and q.index else None
    capacitated = np.zeros(len(comms), dtype=bool)
    if paths:
        used = np.asarray((usage != 0).sum(axis=0)).ravel() > 0
        np.logical_or.at(capacitated, path_comm, used)
    lp = CapacityLp(path_comm, len(comms), usage, cong, [r.key for r in resources])
    return Prepared(comms, resources, paths, path_comm, np.array([p.cost for p in paths]),
                    usage, q, lp, capacitated)


def assign_year(net: Network, rows: list[DemandRow], options: Options | None = None,
                prepared: Prepared | None = None) -> YearOutcome:
    """Assign one year; ``prepared`` (from an earlier year with the same network) saves
    building paths and the LP again."""
    options = options or Options()
    fixed = options.waits
    pre = prepared or prepare(net, rows, congested=fixed is None, closed=options.closed)
    row_of = {r.id: r for r in rows}
    comms = [Commodity(row_of[c.demand.id], c.alternative, c.group, c.paths)
             for c in pre.comms]
    resources, paths, path_comm = pre.resources, pre.paths, pre.path_comm
    base_cost = _shifted(pre.base_cost, paths, net, options.shift)
    q = pre.queues
    theta = net.parameters.logit_scale.to("1/USD")
    nests = {g.id: g.nest_scale.to("1") if g.nest_scale else 1.0 for g in net.groups.values()}
    groups = [c.group for c in comms]
    legacy_penalty = net.parameters.unserved_penalty.to("USD/t")
    lp = pre.lp
    plain = ~lp.congested  # a full plain capacity charges its shadow price in route choice
    usage_t = pre.usage.T.tocsr()
    toll = np.zeros(len(paths))

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

    row_ids = list(by_row)
    row_of_comm = np.empty(len(comms), dtype=int)
    for r, ks in enumerate(by_row.values()):
        row_of_comm[ks] = r
    choice = ChoiceSets.build(row_of_comm.tolist(), groups, nests)
    sizes = np.bincount(row_of_comm, minlength=len(row_ids))
    first = np.array([ks[0] for ks in by_row.values()], dtype=int)
    row_total = np.array([totals[rid] for rid in row_ids])[row_of_comm]

    def targets(path_cost: np.ndarray) -> np.ndarray:
        shares = choice.segmented(alt_costs(path_cost), theta, net.avoided)
        shares[sizes[row_of_comm] == 1] = 1.0
        # no corridor has a path: it stays on the first, unserved
        none = np.bincount(row_of_comm, shares != 0, minlength=len(row_ids)) == 0
        shares[first[none]] = 1.0
        return shares * row_total

    def waits_at(util: np.ndarray) -> np.ndarray:
        return q.waits_at(util, fixed)

    waits = waits_at(np.zeros(len(resources)))
    cost = costs_with(waits)
    demand = targets(cost)
    gap, n, build_s, solve_s, beta = 1.0, 0, 0.0, 0.0, 1.0
    sol: LpSolution | None = None
    penalty = np.zeros(len(comms))
    fallback = _fallbacks(by_row, alt_costs(cost), pre.capacitated)
    # Route choice between corridors by successive averages of the nested-logit split; inside
    # each corridor the LP finds the congested equilibrium for the current split.
    rounds: list[Round] = []
    unserved_terms = _unserved_terms(comms)
    while n < options.max_iterations:
        n += 1
        lp_cost = cost if lp.cong is None else base_cost
        penalty = _penalties(comms, fallback, alt_costs(cost), lp_cost, path_comm, theta,
                             legacy_penalty, unserved_terms)
        sol = lp.solve(lp_cost, demand, penalty,
                       np.array([-1 if f is None else f for f in fallback]))
        build_s = sol.build_s
        solve_s += sol.solve_s
        waits = waits_at(sol.utilisation)
        cost = costs_with(waits)
        if paths:  # shadow prices of full capacities, averaged over the rounds
            toll += (usage_t @ np.where(plain, sol.dual, 0.0) - toll) / n
        target = targets(cost + toll)
        last_gap = gap
        gap = _largest(np.abs(target - demand)) / max(sum(totals.values()), 1.0)
        if gap < options.tolerance:
            rounds.append(Round(n, gap, 0.0, sol.objective))
            break
        # self-regulated averaging (Liu, He & He 2009): the step 1/β shrinks fast
        # when the gap grows (oscillation) and slowly while it falls
        beta += 2.0 if gap > last_gap else 0.05
        rounds.append(Round(n, gap, 1.0 / beta, sol.objective))
        demand = demand + (target - demand) / beta
        fallback = _fallbacks(by_row, alt_costs(cost), pre.capacitated)
    assert sol is not None
    return YearOutcome(net, comms, paths, path_comm, cost, resources, sol, demand, fallback,
                       dict(zip(q.keys, waits.tolist(), strict=True)), gap, n, penalty, build_s,
                       solve_s, pre, convergence=rounds)


def _largest(values: np.ndarray) -> float:
    return float(values.max()) if values.size else 0.0


def _shifted(cost: np.ndarray, paths: list[Path], net: Network,
             shift: dict[str, tuple[float, float]] | None) -> np.ndarray:
    """Path costs with a corridor group's money cost scaled and hours added (elasticities)."""
    if not shift:
        return cost
    out = cost.copy()
    scale = net.parameters.vot_scale.to("1")
    for j, p in enumerate(paths):
        group = net.corridors[p.corridor].group if p.corridor in net.corridors else None
        if group in shift:
            factor, hours = shift[group]
            vot = net.cargo[p.cargo].value_of_time
            per_hour = cargo_units.per_tonne(vot, net.cargo[p.cargo]) * scale
            out[j] += (factor - 1.0) * p.usd + hours * per_hour
    return out


def _fallbacks(by_row: dict[str, list[int]], ac: np.ndarray,
               capacitated: np.ndarray) -> list[int | None]:
    """Where each commodity's cargo goes when its corridor is full: the item's cheapest
    corridor without capacity limits (the sea), else its next dearer corridor. None
    (unserved) for a corridor without capacity limits and for the dearest one. Every step goes
    to an unlimited or a dearer corridor, so the chain never loops; the choice does not depend
    on last round's flows, so it cannot flip between rounds — spilling from one port to another
    is left to route choice, which sees the first port's queue and the shadow prices of full
    capacities."""
    out: list[int | None] = [None] * len(ac)
    cost, limited = ac.tolist(), capacitated.tolist()
    inf = float("inf")
    for ks in by_row.values():
        free = [k for k in ks if not limited[k] and cost[k] < inf]
        cheapest_free = min(free, key=cost.__getitem__) if free else None
        order = sorted(ks, key=cost.__getitem__)
        for pos, k in enumerate(order):
            if not limited[k]:
                continue
            if cheapest_free is not None:
                out[k] = cheapest_free
            else:
                out[k] = next((j for j in order[pos + 1:] if cost[j] < inf), None)
    return out


PRIORITY_USD_PER_T = 1e4  # above any penalty or path-cost gap the LP can meet (1/θ ≈ 100)


def _unserved_terms(comms: list[Commodity]) -> tuple[np.ndarray, np.ndarray]:
    """Per commodity: the extra cost of its real alternative (NaN: none given) and whether it
    is priority cargo (the same every round)."""
    return (np.array([np.nan if c.demand.unserved_cost is None else c.demand.unserved_cost
                      for c in comms]),
            np.array([c.demand.priority for c in comms], dtype=bool))


def _penalties(comms: list[Commodity], fallback: list[int | None], ac: np.ndarray,
               cost: np.ndarray, path_comm: np.ndarray, theta: float,
               legacy: float, fixed: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """USD/t for each tonne of a commodity the LP does not carry on its own paths.

    Cargo that moves to its fallback corridor pays that corridor's path cost inside the LP;
    the penalty on top is 1/θ, the logit's measure of what the shippers who chose this
    corridor value it at beyond the measured cost — and at least the gap between the
    commodity's dearest path and the fallback, so the LP moves cargo only when capacity forces
    it to. Cargo left unserved costs what its real alternative costs: its cheapest own path
    plus the alternative's extra cost (``unserved_cost`` of the demand item or cargo class),
    so the shadow price of the capacity that turns it away is that extra cost. Without one,
    the scenario's ``unserved_penalty`` (an assumption) stands in.
    """
    k = len(comms)
    extra, first = fixed if fixed is not None else _unserved_terms(comms)
    has = np.bincount(path_comm, minlength=k) > 0
    dearest, cheapest = np.full(k, -np.inf), np.full(k, np.inf)
    np.maximum.at(dearest, path_comm, cost)
    np.minimum.at(cheapest, path_comm, cost)
    dearest, cheapest = np.where(has, dearest, 0.0), np.where(has, cheapest, 0.0)
    fb = np.array([-1 if j is None else j for j in fallback], dtype=int)
    with np.errstate(invalid="ignore"):  # rows without a fallback: not used
        moved = np.maximum(1.0 / theta, dearest - ac[np.maximum(fb, 0)] + 1.0)
    unserved = np.where(np.isnan(extra), np.maximum(legacy, dearest + 1.0), cheapest + extra)
    out: np.ndarray = np.where(fb >= 0, moved, unserved)
    # priority cargo is a preload, not a price: dearer than any other use of the capacity, so
    # the LP turns it away only if it alone exceeds a capacity (reported as unserved)
    out = np.where(first, dearest + PRIORITY_USD_PER_T, out)
    return out
