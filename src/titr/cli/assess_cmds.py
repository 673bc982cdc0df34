"""Commands of the strategic assessment: assess, projects, calibrate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from titr.assign import assess as run_assessment
from titr.assign.results import AssessmentResult
from titr.cli.common import (
    atomic_path,
    console,
    frame_records,
    friendly,
    parse_years,
    print_json,
    print_table,
    scenario_from,
)
from titr.cli.scenario_cmds import JsonOpt, ScenarioOpt, SetOpt

DEFAULT_OUT = Path("titr-out") / "assessment.duckdb"
WithoutOpt = Annotated[list[str] | None, typer.Option("--without",
                                                      help="drop a project (repeatable)")]
YearsOpt = Annotated[str | None, typer.Option("--years", help="e.g. 2022-2030")]


def summary_frame(res: AssessmentResult) -> pd.DataFrame:
    t = res.totals
    df = pd.DataFrame({
        "year": t.year, "Caspian Mt": t.caspian_t / 1e6, "Caspian kTEU": t.caspian_teu / 1e3,
        "middle share %": 100 * t.middle_share, "middle days (median)": t.middle_days,
        "bottleneck": t.bottleneck.where(t.bottleneck != "", "none"),
        "shadow USD/t": t.bottleneck_usd_per_t,
    })
    return df


def shares_frame(res: AssessmentResult) -> pd.DataFrame:
    s = res.shares[res.shares.kind == "contestable"]
    if s.empty:
        return pd.DataFrame()
    piv = s.pivot_table(index="year", columns="corridor", values="tonnes", aggfunc="sum")
    share = 100 * piv.div(piv.sum(axis=1), axis=0)
    return share.reset_index().rename_axis(None, axis=1)


@friendly
def assess(scenario: ScenarioOpt = None, years: YearsOpt = None, overrides: SetOpt = None,
           without: WithoutOpt = None,
           out: Annotated[Path, typer.Option("--out", help="DuckDB results file")] = DEFAULT_OUT,
           as_json: JsonOpt = False) -> None:
    """Assess every year: tonnes and TEU carried, bottlenecks, corridor shares, days."""
    sc = scenario_from(scenario, overrides, without)
    res = run_assessment(sc, parse_years(years, sc))
    with atomic_path(out) as tmp:
        res.save(tmp)
    if as_json:
        print_json({"scenario": sc.id, "out": str(out), "meta": res.meta,
                    "totals": frame_records(res.totals),
                    "bottlenecks": frame_records(res.bottlenecks),
                    "calibration": frame_records(res.calibration)})
        return
    console.print(f"[bold]{sc.name}[/] ({sc.id}) — assessed {len(res.totals)} years in "
                  f"{res.meta['seconds']:.2f} s")
    print_table(summary_frame(res), title="Carried across the Caspian, and what binds",
                formats={"Caspian Mt": ".2f", "Caspian kTEU": ".1f", "middle share %": ".1f",
                         "middle days (median)": ".1f", "shadow USD/t": ",.1f"})
    shares = shares_frame(res)
    if not shares.empty:
        print_table(shares, title="Contestable China–Europe cargo: corridor shares, %")
    if len(res.calibration):
        print_table(res.calibration[["year", "observation", "observed", "modelled",
                                     "error_pct"]],
                    title="Observed vs modelled", formats={"observed": ",.0f",
                                                           "modelled": ",.0f",
                                                           "error_pct": "+.1f"})
    console.print(f"results: {out}")
