"""A year of a scenario, simulated: the assignment's flows of that year become the routes."""

from __future__ import annotations

from titr.assign.year import Options, YearOutcome, assign_year
from titr.assign.year_tables import carried_paths
from titr.model.demand import demand_rows
from titr.model.errors import fail
from titr.model.scenario import Scenario
from titr.sim.from_paths import path_ids, routes_from_flows
from titr.sim.results import SimResult
from titr.sim.run import simulate_routes
from titr.sim.stages import Route

MAX_REPLICATIONS = 1000


def assigned_year(sc: Scenario, year: int, waits: dict[str, float] | None = None) -> YearOutcome:
    if year not in sc.years:
        raise fail(f"year {year} is outside the horizon", where="--year",
                   fix=f"use {sc.first_year}–{sc.last_year}")
    net = sc.network(year)
    rows = demand_rows(sc.demand, net.cargo, year, sc.parameters.market_scale.to("1"))
    return assign_year(net, rows, Options(waits=waits))


def routes_of(outcome: YearOutcome) -> list[Route]:
    """One route per carried path of the assignment, with its annual tonnes."""
    flows = [(path_ids(p.nodes, p.edges), tonnes, p.cargo, p.corridor or "other", f"{did}/{k}")
             for k, (p, tonnes, did, _) in enumerate(carried_paths(outcome))]
    return routes_from_flows(outcome.network, flows)


def simulate_year(sc: Scenario, year: int, replications: int = 20, seed: int | None = None,
                  warmup_days: float = 30, keep_units: bool = True,
                  outcome: YearOutcome | None = None) -> SimResult:
    """Assign ``year`` (unless ``outcome`` is given) and simulate its flows. The seed defaults
    to the scenario's."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise fail(f"{replications} replications is outside 1–{MAX_REPLICATIONS}",
                   where="--replications", fix="ask for fewer; run large studies as a sweep")
    outcome = outcome or assigned_year(sc, year)
    return simulate_routes(outcome.network, routes_of(outcome), replications,
                    sc.seed if seed is None else seed, warmup_days, keep_units=keep_units)
