"""The assessment with simulated waits: the queueing approximation of the wait for a vessel
is replaced, year by year, by the mean wait the simulation gives for that year's flows."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from titr.assign.assess import assess
from titr.assign.assessment_result import AssessmentResult
from titr.model.columns import spec
from titr.model.scenario import Scenario
from titr.sim.run import simulate_routes
from titr.studies.scenario_year import assigned_year, routes_of

MOVED = spec("coupling.moved")  # the columns, declared in titr.model.columns.study_columns


def simulated_waits(sc: Scenario, years: Iterable[int], replications: int = 3,
                    seed: int | None = None) -> dict[int, dict[str, float]]:
    """Year → service arc → mean hours waiting for a vessel, simulated on the year's flows."""
    out = {}
    for year in years:
        outcome = assigned_year(sc, year)
        res = simulate_routes(outcome.network, routes_of(outcome), replications,
                       sc.seed if seed is None else seed, keep_units=False)
        out[year] = res.vessel_wait_hours()
    return out


def assess_with_simulated_waits(sc: Scenario, years: list[int], replications: int = 3,
                                seed: int | None = None
                                ) -> tuple[AssessmentResult, pd.DataFrame]:
    """The assessment with simulated waits, and how much each headline figure moved."""
    queueing = assess(sc, years)
    simulated = assess(sc, years, waits=simulated_waits(sc, years, replications, seed))
    rows = []
    for (_, q), (_, s) in zip(queueing.totals.iterrows(), simulated.totals.iterrows(),
                              strict=True):
        for col, label in (("focus_t", "focus t"), ("focus_teu", "focus TEU"),
                           ("focus_share", "focus share"), ("focus_days", "focus days")):
            rows.append({"year": int(q.year), "quantity": label, "queueing": float(q[col]),
                         "simulated": float(s[col]), "change": float(s[col] - q[col])})
    return simulated, MOVED.frame(rows)
