"""Commands of the strategic assessment: assess, projects, calibrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from titr.cli.common import (
    MAX_REPLICATIONS,
    check_range,
    command_seconds,
    console,
    frame_records,
    friendly,
    one_year,
    parse_years,
    print_json,
    print_table,
    scenario_from,
)
from titr.cli.scenario_cmds import JsonOpt, ScenarioOpt, SetOpt
from titr.model.atomic_files import atomic_path, write_text_atomic
from titr.model.errors import fail
from titr.model.files import writable_file

if TYPE_CHECKING:  # the heavy layers load inside the commands, so `titr --help` starts fast
    import pandas as pd

    from titr.assign.assessment_result import AssessmentResult
    from titr.model.scenario import Scenario

DEFAULT_OUT = Path("titr-out") / "assessment.duckdb"
WithoutOpt = Annotated[list[str] | None, typer.Option("--without",
                                                      help="drop a project (repeatable)")]
YearsOpt = Annotated[str | None, typer.Option("--years", help="e.g. 2022-2030")]
ReportOpt = Annotated[Path | None, typer.Option(
    "--report", help="HTML report [default: report.html beside --out]", show_default=False)]


def summary_frame(res: AssessmentResult) -> pd.DataFrame:
    """One row a year: the focus crossing's volume, the focus group's share and median days
    (the scenario's study names them; see the table's title), unserved cargo, what binds."""
    import pandas as pd

    t = res.totals
    df = pd.DataFrame({
        "year": t.year, "Mt": t.focus_t / 1e6, "kTEU": t.focus_teu / 1e3,
        "share %": 100 * t.focus_share, "days (median)": t.focus_days,
        "unserved kt": t.unserved_t / 1e3,
        "bottleneck": t.bottleneck.where(t.bottleneck != "", "none"),
        "shadow USD/t": t.bottleneck_usd_per_t,
        "events": t.events,
    })
    return df


def unserved_frame(res: AssessmentResult) -> pd.DataFrame:
    """Cargo not carried, by cargo and pair, with the cost of its alternative."""
    u = res.unserved[res.unserved.unserved_t > 0.5]
    return u.assign(pair=u.origin + " → " + u.destination, kt=u.unserved_t / 1e3)[
        ["year", "demand", "cargo", "pair", "kt", "cost_usd_per_t", "alternative"]]


def groups_frame(res: AssessmentResult) -> pd.DataFrame:
    """Each corridor group's share of the contestable pool per year, %, with the events."""
    g = res.groups
    if g.empty:
        return g
    piv = (100 * g.pivot_table(index="year", columns="group", values="share")).reset_index()
    events = g.drop_duplicates("year").set_index("year").events
    return piv.rename_axis(None, axis=1).assign(events=piv.year.map(events))


def shares_frame(res: AssessmentResult) -> pd.DataFrame:
    import pandas as pd

    s = res.shares[res.shares.kind == "contestable"]
    if s.empty:
        return pd.DataFrame()
    piv = s.pivot_table(index="year", columns="corridor", values="tonnes", aggfunc="sum")
    share = 100 * piv.div(piv.sum(axis=1), axis=0)
    return share.reset_index().rename_axis(None, axis=1)


DEFAULT_SIMULATE = "2025,2030"


def simulated_years(text: str | None, sc: Scenario) -> list[int]:
    """The years of ``--simulate``: given ones must lie in the horizon; of the default
    (2025 and 2030), those that do."""
    if text is None:
        return [y for y in (2025, 2030) if y in sc.years]
    if text.strip().lower() in ("", "none", "no"):
        return []
    return parse_years(text, sc, "--simulate")


def simulated_days(sc: Scenario, years: list[int], replications: int) -> pd.DataFrame | None:
    """Median and p90 door-to-door days of the simulated years (year, corridor, cargo, …)."""
    if not years:
        return None
    import pandas as pd

    from titr.report import sim_kpis_frame
    from titr.studies.scenario_year import simulate_year

    frames = [sim_kpis_frame(simulate_year(sc, y, replications, keep_units=False).kpis, y)
              for y in years]
    kept = [f for f in frames if f is not None]
    return pd.concat(kept, ignore_index=True) if kept else None


@friendly
def assess(scenario: ScenarioOpt = None, years: YearsOpt = None, overrides: SetOpt = None,
           without: WithoutOpt = None,
           out: Annotated[Path, typer.Option("--out", help="DuckDB results file")] = DEFAULT_OUT,
           as_json: JsonOpt = False, report: ReportOpt = None,
           waits: Annotated[str, typer.Option(
               help="waits for a vessel: 'queueing' (approximation) or 'simulated'")] =
           "queueing",
           sim_replications: Annotated[int, typer.Option(
               help=f"replications per simulated year (1–{MAX_REPLICATIONS})")] = 5,
           simulate: Annotated[str | None, typer.Option(
               "--simulate", help="years to simulate for door-to-door median and p90 days "
               f"(e.g. 2025,2030; 'none' to skip) [default: {DEFAULT_SIMULATE}, those in the "
               "horizon]", show_default=False)] = None) -> None:
    """Assess every year: tonnes and TEU carried, bottlenecks, corridor shares, days."""
    from titr.assign import assess as run_assessment
    from titr.report import report_html, save_extras

    writable_file(out, "--out", "assessment.duckdb")  # every check before any work
    report = report or out.parent / "report.html"
    writable_file(report, "--report", "report.html")
    if waits not in ("queueing", "simulated"):
        raise fail(f"unknown waits {waits!r}", where="--waits", fix="use queueing or simulated")
    check_range(sim_replications, "--sim-replications", 1, MAX_REPLICATIONS,
                "a number of replications")
    sc = scenario_from(scenario, overrides, without)
    assessed, simulated = parse_years(years, sc), simulated_years(simulate, sc)
    moved = None
    if waits == "simulated":
        from titr.studies.coupling import assess_with_simulated_waits

        res, moved = assess_with_simulated_waits(sc, assessed, sim_replications)
    else:
        res = run_assessment(sc, assessed)
    sim_kpis = simulated_days(sc, simulated, sim_replications)
    with atomic_path(out) as tmp:
        res.save(tmp)
        save_extras(tmp, sc, sim_kpis)  # what `titr report` needs to rebuild the page
    write_text_atomic(report, report_html(res, scenario=sc, sim_kpis=sim_kpis))
    if as_json:
        print_json({"scenario": sc.id, "out": str(out), "report": str(report),
                    "moved": frame_records(moved) if moved is not None else None,
                    "meta": res.meta,
                    "totals": frame_records(res.totals),
                    "unserved": frame_records(res.unserved),
                    "groups": frame_records(res.groups),
                    "events": frame_records(res.events),
                    "bottlenecks": frame_records(res.bottlenecks),
                    "calibration": frame_records(res.calibration)})
        return
    wall, cpu = command_seconds()
    console.print(f"[bold]{sc.name}[/] ({sc.id}) — assessed {len(res.totals)} years in "
                  f"{res.meta['seconds']:.2f} s; the whole command {wall:.2f} s ({cpu:.2f} s "
                  "CPU: imports, loading, simulated years, results file and report)")
    st = sc.study_or_default()
    print_table(summary_frame(res), title=f"Carried {st.focus_label} (Mt, kTEU); the "
                f"{st.name}'s share of the contestable cargo and median days; what binds",
                formats={"Mt": ".2f", "kTEU": ".1f", "share %": ".1f", "days (median)": ".1f",
                         "unserved kt": ",.1f", "shadow USD/t": ",.1f"})
    unserved = unserved_frame(res)
    if len(unserved):
        print_table(unserved, title="Not carried (unserved), by cargo and pair, and what its "
                    "alternative costs", formats={"kt": ",.1f", "cost_usd_per_t": ",.1f"})
    groups = groups_frame(res)
    if not groups.empty:
        print_table(groups, title="Contestable cargo by corridor group, % of the pool "
                    "(events in force)", formats={g: ".1f" for g in groups.columns
                                                       if g not in ("year", "events")})
    shares = shares_frame(res)
    if not shares.empty:
        print_table(shares, title="Contestable cargo: corridor shares, %")
    if len(res.calibration):
        print_table(res.calibration[["year", "observation", "observed", "modelled",
                                     "error_pct", "set"]],
                    title="Observed vs modelled", formats={"observed": ",.0f",
                                                           "modelled": ",.0f",
                                                           "error_pct": "+.1f"})
    if sim_kpis is not None and len(sim_kpis):
        box = sim_kpis[sim_kpis.cargo == "container"].sort_values(["year", "median_days"])
        print_table(box[["year", "corridor", "median_days", "p90_days"]],
                    title=f"Simulated door-to-door days of a container ({sim_replications} "
                    "replications a year)", formats={"median_days": ".1f", "p90_days": ".1f"})
    if moved is not None:
        piv = moved.pivot_table(index="year", columns="quantity", values="change").reset_index()
        print_table(piv.rename_axis(None, axis=1),
                    title="How much the answer moved with simulated waits (simulated − queueing)",
                    formats={"focus t": "+,.0f", "focus TEU": "+,.0f",
                             "focus share": "+.4f", "focus days": "+.2f"})
    console.print(f"results: {out}")
    console.print(f"report: {report}")


@friendly
def projects(scenario: ScenarioOpt = None,
             year: Annotated[int | None, typer.Option(help="value in this year (default: the "
                                                      "last year)")] = None,
             rank_by: Annotated[str, typer.Option(
                 "--rank-by", help="gen-cost (what all shippers save, the default), focus "
                 "(volume across the focus crossing) or unserved (tonnes no longer unserved)")]
             = "gen-cost",
             overrides: SetOpt = None, as_json: JsonOpt = False) -> None:
    """Rank the projects by what each adds: shippers' savings, volume, unserved cargo carried."""
    from titr.assign.project_value import RANK_COLUMN, project_values

    if rank_by not in RANK_COLUMN:
        raise fail(f"unknown measure {rank_by!r}", where="--rank-by",
                   fix=f"use one of: {', '.join(RANK_COLUMN)}")
    sc = scenario_from(scenario, overrides)
    year = one_year(year, sc) if year is not None else sc.last_year
    df = project_values(sc, year, rank_by)  # type: ignore[arg-type]
    if as_json:
        print_json({"scenario": sc.id, "year": year, "rank_by": rank_by,
                    "projects": frame_records(df)})
        return
    label = sc.study.focus_label if sc.study else "across the focus crossing"
    shown = df.assign(saved_musd=df.gen_cost_saved_usd / 1e6, volume_kt=df.volume_t / 1e3)[
        ["project", "opens", "saved_musd", "volume_kt", "teu", "days_saved", "unserved_t",
         "relieved", "with_dependents"]].rename(columns={
             "saved_musd": "shippers save, M USD", "volume_kt": f"kt {label}"})
    print_table(shown, title=f"What each project adds in {year} ({sc.id}), assessed with and "
                f"without it; ranked by {rank_by}",
                formats={"shippers save, M USD": ",.1f", f"kt {label}": ",.0f", "teu": ",.0f",
                         "days_saved": "+.2f", "unserved_t": ",.0f"})


@friendly
def calibrate(scenario: ScenarioOpt = None,
              out: Annotated[Path, typer.Option("--out", help="scenario file to write")] =
              Path("titr-out") / "calibrated.toml",
              free: Annotated[list[str] | None, typer.Option(
                  "--free", help="parameters to fit: logit_scale, vot_scale, market_scale, "
                  "nest:<group>, avoid:<event> (default: logit_scale, vot_scale and the "
                  "avoiding share of each event that has one)")] = None,
              as_json: JsonOpt = False) -> None:
    """Fit the free parameters to the fit-set observations; report the validation set apart,
    identifiability and elasticities."""
    import pandas as pd
    import tomli_w

    from titr.assign.calibrate import FreeParameter
    from titr.assign.calibrate import calibrate as fit
    from titr.assign.elasticity import elasticities
    from titr.model.loader import builtin_names

    writable_file(out, "--out", "calibrated.toml")
    sc = scenario_from(scenario)
    cal = fit(sc, free)
    base = scenario or "middle-corridor"
    extends = base if base in builtin_names() else str(Path(base).resolve())
    why = f"fitted by titr calibrate: RMSE {cal.rmse_pct:.1f} % over the fit set"
    doc: dict[str, object] = {
        "extends": extends, "id": f"{sc.id}-calibrated", "name": f"{sc.name} (calibrated)",
        "parameters": {n: {"value": v, "unit": getattr(sc.parameters, n).unit,
                           "assumption": why}
                       for n, v in cal.values.items()
                       if FreeParameter.parse(n).is_scenario_parameter}}
    kinds = {FreeParameter.parse(n).kind for n in cal.values}
    if "nest" in kinds:
        doc["corridor_groups"] = [g.model_dump(exclude_none=True)
                                  for g in cal.scenario.corridor_groups]
    if "avoid" in kinds:
        doc["events"] = [e.model_dump(mode="json", exclude_none=True)
                         for e in cal.scenario.events]
    last_fit = int(cal.table[cal.table["set"] == "fit"].year.max())
    elastic = elasticities(cal.scenario, last_fit)
    write_text_atomic(out, "# Written by `titr calibrate`.\n" + tomli_w.dumps(doc))
    if as_json:
        print_json({"scenario": sc.id, "out": str(out), "values": cal.values,
                    "start": cal.start, "identifiable": cal.identifiable,
                    "rmse_pct": cal.rmse_pct, "validation_rmse_pct": cal.validation_rmse_pct,
                    "table": frame_records(cal.table),
                    "elasticities": frame_records(elastic)})
        return
    params = pd.DataFrame([{"parameter": n, "start": cal.start[n], "fitted": v,
                            "identifiable": cal.identifiable[n]} for n, v in cal.values.items()])
    print_table(params, title=f"Fitted parameters ({cal.evaluations} evaluations)",
                formats={"start": ".4g", "fitted": ".4g"})
    print_table(cal.table[["year", "observation", "observed", "modelled", "error_pct", "set"]],
                title=f"Observed vs modelled — RMSE {cal.rmse_pct:.1f} % (fit set), "
                f"{cal.validation_rmse_pct:.1f} % (validation set, not fitted on)",
                formats={"observed": ",.1f", "modelled": ",.1f", "error_pct": "+.1f"})
    print_elasticities(elastic)
    console.print(f"wrote {out}")


def print_elasticities(elastic: pd.DataFrame) -> None:
    year = int(elastic.year.iloc[0]) if len(elastic) else ""
    print_table(elastic.drop(columns="year").assign(share=100 * elastic.share),
                title=f"Elasticities in {year}: share of the contestable pool (%) and its change "
                "(points) when a group's corridors cost 10 % more or take a day longer",
                formats={"share": ".1f", "cost_plus_10pct_points": "+.2f",
                         "plus_1_day_points": "+.2f", "cost_elasticity": "+.2f"})
