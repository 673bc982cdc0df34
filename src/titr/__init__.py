"""titr — an open digital twin of a freight corridor (built in: the Middle Corridor).

The public API (every CLI command is a thin face over one of these)::

    import titr
    sc = titr.load("middle-corridor")                  # or a path; .with_overrides({...})
    sc.network(2030)                                   # the network as of a year
    titr.routes(sc, year=2026)                         # the study's default pair: DataFrame
    res = titr.assess(sc, years=range(2019, 2036))     # tables: res.flows, res.bottlenecks …
    sim = titr.simulate(sc, 2026, replications=20, seed=7)  # sim.kpis, sim.units …
    titr.calibrate(sc)                                 # fit on the fit set; .table, validation
    bt = titr.backtest(sc, until=2022)                 # bt.table: fit / validation / forecast rows
    titr.elasticities(sc, 2024)                        # share response to +10 % cost, +1 day
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# what titr skips or assumes is logged under "titr" (the CLI shows it with -v); silent unless
# the application configures logging
logging.getLogger("titr").addHandler(logging.NullHandler())

if TYPE_CHECKING:
    import pandas as pd

    from titr.model import Scenario


def load(name_or_path: str, overrides: dict[str, Any] | list[str] | None = None) -> Scenario:
    """A built-in scenario by name, or a TOML file; raises ``titr.TitrError`` on bad input."""
    from titr.model import load as _load

    return _load(name_or_path, overrides)


def routes(sc: Scenario, origin: str, destination: str, year: int | None = None,
           cargo: str = "container") -> pd.DataFrame:
    """Each corridor's best path between two nodes: days, cost per FEU, CO2 per TEU."""
    from titr.routing import scenario_routes

    return scenario_routes(sc, origin, destination, year, cargo)


def __getattr__(name: str) -> Any:
    # heavier layers load on first use, so `import titr` and the CLI start fast
    if name == "assess":
        from titr.assign import assess

        return assess
    if name == "simulate":
        from titr.studies.scenario_year import simulate_year

        return simulate_year
    if name == "calibrate":
        from titr.assign.calibrate import calibrate

        return calibrate
    if name == "backtest":
        from titr.assign.backtest import backtest

        return backtest
    if name == "elasticities":
        from titr.assign.elasticity import elasticities

        return elasticities
    if name == "TitrError":
        from titr.model import TitrError

        return TitrError
    if name == "AssessmentResult":
        from titr.assign import AssessmentResult

        return AssessmentResult
    raise AttributeError(f"module 'titr' has no attribute {name!r}")
