"""The route comparison table: each corridor's best path with days, cost and CO2."""

from __future__ import annotations

import pandas as pd

from titr.model import cargo as cargo_units
from titr.model.columns import spec
from titr.model.errors import fail
from titr.model.network import Network
from titr.model.scenario import Scenario
from titr.model.units import HOURS_PER_DAY
from titr.routing.corridor_paths import Path, best_by_corridor
from titr.routing.graph import build_graph

ROUTES = spec("routes.routes")  # the columns, declared in titr.model.columns.assessment_columns


def path_row(p: Path, net: Network) -> dict[str, object]:
    cargo = net.cargo[p.cargo]
    t_per_teu = cargo_units.tonnes_per(cargo, "TEU") if "TEU" in cargo.per else None
    corridor = net.corridors.get(p.corridor or "")
    return {
        "corridor": p.corridor or "other",
        "group": corridor.group if corridor else "other",
        "days": p.days,
        "wait_days": p.wait_hours / HOURS_PER_DAY,
        "km": p.km,
        "cost_usd_per_t": p.usd,
        "cost_usd_per_feu": p.usd * 2 * t_per_teu if t_per_teu else None,
        "co2_kg_per_t": p.co2 * 1000.0,
        "co2_kg_per_teu": p.co2 * 1000.0 * t_per_teu if t_per_teu else None,
        "generalized_usd_per_t": p.cost,
        "via": " → ".join(n for n in p.nodes[1:-1]
                          if net.nodes[n].kind.value in ("port", "border", "oil-terminal")),
        "legs": " → ".join(p.edges),
        "nodes": " → ".join(p.nodes),
    }


def route_table(net: Network, origin: str, destination: str, cargo: str = "container",
                service_waits: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per corridor that can serve the pair, cheapest first (columns: ``ROUTES``)."""
    cg = build_graph(net, cargo, service_waits)
    best = best_by_corridor(cg, origin, destination)
    return ROUTES.frame({"rank": i, **path_row(p, net)}
                        for i, p in enumerate(best.values(), start=1))


def scenario_routes(sc: Scenario, origin: str, destination: str, year: int | None = None,
                    cargo: str = "container") -> pd.DataFrame:
    """The route table of a scenario's year, with the year and the cargo class checked."""
    year = year or sc.first_year
    if year not in sc.years:
        raise fail(f"year {year} is outside the horizon", where="--year",
                   fix=f"use {sc.first_year}–{sc.last_year}")
    net = sc.network(year)
    if cargo not in net.cargo:
        raise fail(f"unknown cargo class {cargo!r}", where="--cargo",
                   fix=f"use one of: {', '.join(net.cargo)}")
    return route_table(net, origin, destination, cargo)
