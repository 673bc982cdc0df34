"""The operational simulation: titr simulate."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

import typer

from titr.cli.common import (
    MAX_REPLICATIONS,
    check_range,
    console,
    frame_records,
    friendly,
    one_year,
    print_json,
    print_table,
    scenario_from,
)
from titr.cli.scenario_cmds import JsonOpt, ScenarioOpt, SetOpt

if TYPE_CHECKING:  # pandas loads inside the commands, so `titr --help` starts fast
    import pandas as pd


def kpi_frame(kpis: pd.DataFrame) -> pd.DataFrame:
    """Median and p90 days with 95 % intervals, by corridor and cargo class."""
    import pandas as pd

    rows = []
    for (corridor, cargo), g in kpis.groupby(["corridor", "cargo"], sort=False):
        m = g.set_index("metric")
        if "median_days" not in m.index:
            continue
        median = float(m.loc["median_days", "mean"])  # type: ignore[arg-type]
        if math.isnan(median):  # no unit finished on this corridor
            continue

        def ci(metric: str, m: pd.DataFrame = m) -> str:
            r = m.loc[metric]
            return f"{r['mean']:.1f} [{r.ci_low:.1f}–{r.ci_high:.1f}]"

        rows.append({"corridor": corridor, "cargo": cargo,
                     "units/yr": m.loc["units", "mean"],
                     "median days [95% CI]": ci("median_days"),
                     "p90 days [95% CI]": ci("p90_days"),
                     "vessel wait d": m.loc["vessel_wait_days", "mean"],
                     "border d": m.loc["border_days", "mean"],
                     "SWD km/h": m.loc["swd_kmh", "mean"],
                     "SWOD km/h": m.loc["swod_kmh", "mean"]})
    return pd.DataFrame(rows)


@friendly
def simulate(year: Annotated[int, typer.Option(help="the year to simulate")] = 2026,
             replications: Annotated[int, typer.Option(help="independent replications")] = 20,
             seed: Annotated[int | None, typer.Option(help="random seed (default: the "
                                                      "scenario's)")] = None,
             scenario: ScenarioOpt = None, overrides: SetOpt = None,
             as_json: JsonOpt = False) -> None:
    """Simulate a year of operations on the year's assigned flows; print door-to-door KPIs."""
    from titr.model.ranges import SEED_MAX
    from titr.studies.scenario_year import simulate_year

    check_range(replications, "--replications", 1, MAX_REPLICATIONS, "a number of replications")
    check_range(seed, "--seed", 0, SEED_MAX, "a whole number")
    sc = scenario_from(scenario, overrides)
    year = one_year(year, sc)
    res = simulate_year(sc, year, replications, seed, keep_units=False)
    kpis = kpi_frame(res.kpis)
    if as_json:
        print_json({"scenario": sc.id, "year": year, "replications": replications,
                    "seed": res.seed, "kpis": frame_records(res.kpis),
                    "cpmm": frame_records(res.cpmm), "port_waits": frame_records(res.port_waits),
                    "conservation_ok": bool(res.conservation.balanced.all())})
        return
    console.print(f"[bold]{sc.name}[/] ({sc.id}) — {year}, {replications} replications, "
                  f"seed {res.seed}")
    print_table(kpis, title="Door-to-door days by corridor and cargo class",
                formats={"units/yr": ",.0f", "vessel wait d": ".2f", "border d": ".2f",
                         "SWD km/h": ".1f", "SWOD km/h": ".1f"})
    waits = res.port_waits.pivot_table(index=["service", "direction", "port"],
                                       columns="metric", values="mean").reset_index()
    print_table(waits, title="Wait for a vessel, days", formats={"mean_days": ".2f",
                                                                  "p90_days": ".2f"})
    border = res.cpmm[res.cpmm.indicator == "border_hours"][["node", "resource", "mean"]]
    print_table(border.rename(columns={"mean": "hours to clear"}),
                title="CAREC CPMM: hours to clear each border crossing point")
    balanced = bool(res.conservation.balanced.all())
    console.print("conservation: " + ("every unit that entered has left or is counted in a "
                                      "queue or in transit" if balanced else "UNBALANCED"))


@friendly
def closure(corridor: Annotated[str, typer.Option(help="corridor id or group to close")] =
            "northern",
            days: Annotated[float, typer.Option(help="length of the closure")] = 30,
            month: Annotated[int, typer.Option(help="month it starts (1–12)")] = 3,
            year: Annotated[int, typer.Option(help="the year")] = 2026,
            replications: Annotated[int, typer.Option(help="replications")] = 10,
            seed: Annotated[int | None, typer.Option(help="random seed")] = None,
            scenario: ScenarioOpt = None, overrides: SetOpt = None,
            as_json: JsonOpt = False) -> None:
    """What a temporary closure of a corridor does to volumes and waits elsewhere."""
    from titr.model.ranges import SEED_MAX
    from titr.model.units import DAYS_PER_YEAR
    from titr.studies.closure import closure_effect

    check_range(days, "--days", 1, DAYS_PER_YEAR, "a length in days")
    check_range(month, "--month", 1, 12, "a month")
    check_range(replications, "--replications", 1, MAX_REPLICATIONS, "a number of replications")
    check_range(seed, "--seed", 0, SEED_MAX, "a whole number")
    sc = scenario_from(scenario, overrides)
    year = one_year(year, sc)
    res = closure_effect(sc, year, corridor, days, month, replications, seed)
    if as_json:
        print_json({"scenario": sc.id, "year": year, "corridor": corridor,
                    "months": list(res.months), "volumes": frame_records(res.volumes),
                    "extra_unserved_t": res.volumes.attrs.get("extra_unserved_t", 0.0),
                    "kpis": frame_records(res.kpis), "waits": frame_records(res.waits)})
        return
    console.print(f"[bold]{sc.name}[/] — {corridor} closed for {days:g} days from month "
                  f"{month}, {year}")
    print_table(res.volumes, title="Tonnes a day by corridor: open vs closed, and the change "
                "over the year", formats={"open_t_per_day": ",.0f",
                                          "closed_t_per_day": ",.0f",
                                          "annual_change_t": "+,.0f"})
    k = res.kpis[res.kpis.cargo == "container"]
    print_table(k, title="Door-to-door days of a container: during the closure and the rest of "
                "the year (simulated)", formats={"units": ",.0f", "median_days": ".1f",
                                                 "p90_days": ".1f"})
    print_table(res.waits, title="Days waiting for a vessel", formats={"mean": ".2f",
                                                                      "p90": ".2f"})
