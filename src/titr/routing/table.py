"""The route comparison table: each corridor's best path with days, cost and CO2."""

from __future__ import annotations

import pandas as pd

from titr.model import cargo as cargo_units
from titr.model.errors import fail
from titr.model.network import Network
from titr.model.scenario import Scenario
from titr.routing.graph import build_graph
from titr.routing.paths import Path, best_by_corridor

ROUTE_COLUMNS = {
    "rank": "1 = cheapest by generalized cost",
    "corridor": "corridor id (the scenario's [[corridors]])",
    "group": "corridor family: middle, northern, sea",
    "days": "door-to-door time in days (travel, dwell, borders, expected wait for a vessel)",
    "wait_days": "part of days spent waiting for a vessel or at borders",
    "km": "distance in km",
    "cost_usd_per_t": "tariffs and charges, USD per tonne",
    "cost_usd_per_feu": "tariffs and charges per 40-ft container (containers only)",
    "co2_kg_per_t": "CO2 in kg per tonne",
    "co2_kg_per_teu": "CO2 in kg per TEU (containers only)",
    "generalized_usd_per_t": "money + value of time + carbon price, USD per tonne",
    "via": "the ports and border crossings passed",
    "legs": "the path: links and sea services in order",
    "nodes": "the nodes passed, in order",
}


def path_row(p: Path, net: Network) -> dict[str, object]:
    cargo = net.cargo[p.cargo]
    t_per_teu = cargo_units.tonnes_per(cargo, "TEU") if "TEU" in cargo.per else None
    corridor = net.corridors.get(p.corridor or "")
    return {
        "corridor": p.corridor or "other",
        "group": corridor.group if corridor else "other",
        "days": p.days,
        "wait_days": p.wait_hours / 24.0,
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
    """One row per corridor that can serve the pair, cheapest first (columns: ROUTE_COLUMNS)."""
    cg = build_graph(net, cargo, service_waits)
    best = best_by_corridor(cg, origin, destination)
    rows = [path_row(p, net) for p in best.values()]
    df = pd.DataFrame(rows, columns=[c for c in ROUTE_COLUMNS if c != "rank"])
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


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
