"""``titr backtest``: fit on what was known by a year, forecast the rest, compare."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from titr.cli.common import (
    console,
    frame_records,
    friendly,
    print_json,
    print_table,
    scenario_from,
)
from titr.cli.scenario_cmds import JsonOpt, ScenarioOpt
from titr.model.atomic_files import atomic_path


@friendly
def backtest(scenario: ScenarioOpt = None,
             until: Annotated[int, typer.Option(
                 "--until", help="cut-off year: fit on observations up to it, forecast the "
                 "rest")] = 2022,
             free: Annotated[list[str] | None, typer.Option(
                 "--free", help="parameters to fit (as for calibrate)")] = None,
             max_evaluations: Annotated[int, typer.Option(
                 help="assessments the fit may take")] = 40,
             ex_post: Annotated[bool, typer.Option(
                 "--ex-post", help="forecast with the inputs as they turned out (demand, "
                 "projects, events); the fit still sees observations up to --until only")] = False,
             results: Annotated[Path | None, typer.Option(
                 "--results", help="a results file of `titr assess` to store the table in, "
                 "for the report (then run `titr report`)")] = None,
             as_json: JsonOpt = False) -> None:
    """Would the model have predicted what happened? Build every input only from what was
    known by --until, fit on the observations up to it, run forward: one row per observation
    (set = fit, validation or forecast)."""
    import pandas as pd

    from titr.assign.backtest import backtest as run

    sc = scenario_from(scenario)
    if results is not None:  # fail before the long fit, not after it
        from titr.report.extras import read_results, save_backtest

        read_results(results)
    bt = run(sc, until, free, max_evaluations, ex_post=ex_post)
    if results is not None:
        with atomic_path(results) as tmp:
            shutil.copyfile(results, tmp)
            save_backtest(tmp, bt.table, until)
    cal = bt.calibration
    summary = {s: bt.errors(s) for s in ("fit", "validation", "forecast")}
    if as_json:
        print_json({"scenario": sc.id, "until": until, "ex_post": ex_post,
                    "parameters": cal.values,
                    "identifiable": cal.identifiable, "rmse_pct": summary,
                    "not_known_yet": bt.dropped, "table": frame_records(bt.table)})
        return
    if ex_post:
        console.print(f"[bold]Ex-post backtest of {sc.id} from {until}[/]: inputs as they "
                      f"turned out; parameters fitted on observations up to {until} only")
    else:
        console.print(f"[bold]Backtest of {sc.id} from {until}[/]: inputs as known at the end "
                      f"of {until}; left out as not yet known: "
                      f"{len(bt.dropped['demand_points'])} demand points, projects "
                      f"{', '.join(bt.dropped['projects']) or 'none'}, "
                      f"events {', '.join(bt.dropped['events']) or 'none'}")
    params = pd.DataFrame([{"parameter": n, "fitted": v, "identifiable": cal.identifiable[n]}
                           for n, v in cal.values.items()])
    print_table(params, title=f"Parameters fitted on observations up to {until}",
                formats={"fitted": ".4g"})
    print_table(bt.table, title="Observed vs modelled — RMSE %: " + ", ".join(
        f"{k} {v:.1f}" for k, v in summary.items()),
        formats={"observed": ",.1f", "modelled": ",.1f", "error_pct": "+.1f"})
