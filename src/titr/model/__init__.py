"""Layer 1 — the domain types and the scenario loader.

The names load on first use, so a command that needs only ``titr.model.errors`` (the CLI's
``--help``) does not pay for pydantic and the schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from titr.model.errors import Problem, TitrError

if TYPE_CHECKING:
    from titr.model.loader import builtin_names, load
    from titr.model.network import Network
    from titr.model.scenario import Scenario

__all__ = ["Network", "Problem", "Scenario", "TitrError", "builtin_names", "load"]

_LAZY = {"builtin_names": "loader", "load": "loader", "Network": "network",
         "Scenario": "scenario"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"titr.model.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'titr.model' has no attribute {name!r}")
