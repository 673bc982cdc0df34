"""Backtests: would the model have predicted what happened?

``backtest(sc, until)`` rebuilds the scenario as a forecaster would have written it at the end
of ``until`` — demand points, demand items, projects and events only if they were known by
then (``known_from``, by default the year they describe, start or open) — fits the free
parameters, from neutral starting values, on the fit-set observations up to the cut-off only,
runs forward, and sets every
observation beside what the model says. Observations after the cut-off are the ``forecast``
rows; nothing after the cut-off enters demand, parameters or project dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from titr.assign.assess import assess
from titr.assign.calibrate import (
    Calibration,
    at_values,
    calibrate,
    default_free,
    neutral_start,
    rmse,
)
from titr.model.columns import spec
from titr.model.errors import fail
from titr.model.overview import Overviewed, number
from titr.model.scenario import Scenario

BACKTEST = spec("backtest.table")  # the columns, in titr.model.columns


def as_known_in(sc: Scenario, until: int) -> Scenario:
    """The scenario with only what was known at the end of ``until``."""
    demand = []
    for d in sc.demand:
        if d.known_from is not None and d.known_from > until:
            continue
        points = [p for p in d.volume
                  if (p.known_from if p.known_from is not None else p.year) <= until]
        if points:
            demand.append(d.model_copy(update={"volume": points}))
    projects = [p for p in sc.projects
                if (p.known_from if p.known_from is not None else p.year) <= until]
    events = [e for e in sc.events
              if (e.known_from if e.known_from is not None else e.start) <= until]
    known = sc.model_copy(update={"demand": demand, "projects": projects, "events": events})
    known._path = sc.path
    return known


@dataclass(repr=False)
class Backtest(Overviewed):
    """What :func:`backtest` found: the fit on what was known by the cut-off, one row per
    observation (``BACKTEST``), and what was left out as not yet known."""

    until: int
    calibration: Calibration  # the fit on what was known by the cut-off
    table: pd.DataFrame  # one row per observation: BACKTEST
    dropped: dict[str, list[str]]  # what was not known yet: demand points, projects, events
    ex_post: bool = False  # forecast with the inputs as they turned out (see backtest)

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        return "Backtest", f"until {self.until}" + (" (ex post)" if self.ex_post else ""), {
            "rmse": ", ".join(f"{s} {number(self.errors(s))} %"
                              for s in ("fit", "validation", "forecast")),
            "dropped": ", ".join(f"{k} {len(v)}" for k, v in self.dropped.items()),
            "table": f"{len(self.table)} observations"}

    def errors(self, which: str) -> float:
        """RMSE of the relative errors of one set (fit, validation, forecast), in %."""
        return rmse(self.table[self.table["set"] == which])


def backtest(sc: Scenario, until: int, free: list[str] | None = None,
             max_evaluations: int = 40, ex_post: bool = False) -> Backtest:
    """Fit on what was known by the end of ``until`` and forecast the rest (see the module);
    raises ``TitrError`` for a cut-off outside the horizon or without fit observations.

    ``ex_post``: forecast with the inputs as they turned out (every demand point, project and
    event), the parameters still fitted on the observations up to the cut-off only. Set beside
    the plain backtest, it parts the model's own error from what nobody knew at the cut-off."""
    if not sc.first_year <= until < sc.last_year:
        raise fail(f"cut-off {until} is outside the horizon", where="--until",
                   fix=f"use a year from {sc.first_year} to {sc.last_year - 1}")
    known = sc if ex_post else as_known_in(sc, until)
    # the scenario's own values were fitted on every year: start from neutral ones instead, so
    # nothing observed after the cut-off reaches the fit through its starting point
    names = free or default_free(known)
    known = at_values(known, {n: neutral_start(n) for n in names})
    cal = calibrate(known, names, max_evaluations, until=until)
    years = sorted({o.year for o in sc.observed if o.year in sc.years})
    table = assess(cal.scenario, years).calibration
    table = table.assign(set=[s if y <= until else "forecast"
                              for y, s in zip(table.year, table["set"], strict=True)])
    table = table.sort_values(["year", "set", "observation"]).reset_index(drop=True)
    return Backtest(until, cal, BACKTEST.conform(table[BACKTEST.names]), _dropped(sc, known),
                    ex_post)


def _dropped(sc: Scenario, known: Scenario) -> dict[str, list[str]]:
    kept = {d.id: {p.year for p in d.volume} for d in known.demand}
    points = [f"{d.id}@{p.year}" for d in sc.demand for p in d.volume
              if p.year not in kept.get(d.id, set())]
    return {"demand_points": points,
            "projects": sorted({p.id for p in sc.projects} - {p.id for p in known.projects}),
            "events": sorted({e.id for e in sc.events} - {e.id for e in known.events})}
