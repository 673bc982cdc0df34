"""Layer 3 — the multimodal graph of one year, generalized cost, k-shortest paths, corridors."""

from titr.routing.corridor_paths import Path, best_by_corridor, candidate_paths, k_shortest
from titr.routing.graph import CorridorGraph, build_graph
from titr.routing.table import ROUTES, route_table, scenario_routes

__all__ = ["ROUTES", "CorridorGraph", "Path", "best_by_corridor", "build_graph",
           "candidate_paths", "k_shortest", "route_table", "scenario_routes"]
