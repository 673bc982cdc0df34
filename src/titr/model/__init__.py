"""Layer 1 — the domain types and the scenario loader."""

from titr.model.errors import Problem, TitrError
from titr.model.loader import builtin_names, load
from titr.model.network import Network
from titr.model.scenario import Scenario

__all__ = ["Network", "Problem", "Scenario", "TitrError", "builtin_names", "load"]
