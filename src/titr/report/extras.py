"""What the report needs beyond ``AssessmentResult``: the scenario's name, its assumptions and
its corridors' colours, stored as extra tables in the results DuckDB so that ``titr report``
can rebuild the page from the file alone; and reading a results file with clear errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from titr.assign.assessment_result import LATER_TABLES, TABLES, AssessmentResult
from titr.model.columns import TableSpec, family, spec
from titr.model.columns.declare import write_table
from titr.model.errors import fail
from titr.model.files import regular_file
from titr.model.geometry import line_of
from titr.model.scenario import Scenario
from titr.model.schema import Link, SeaService
from titr.model.study import DEFAULT_FOCUS_GROUP, DEFAULT_FOCUS_LABEL, DEFAULT_NAME

# Extra tables written beside the assessment's own (declared in titr.model.columns)
EXTRA_TABLES: dict[str, TableSpec] = {
    n: t for n, t in family("results").items() if n not in ("meta", "sim_kpis")}
SIM_KPIS = spec("results.sim_kpis")
# Titles of a results file written before scenarios had a study: neutral words.
NEUTRAL_STUDY = {"study_name": DEFAULT_NAME, "focus_label": DEFAULT_FOCUS_LABEL,
                 "focus_group": DEFAULT_FOCUS_GROUP}
NEWER = set(LATER_TABLES)  # tables a results file of an older titr lacks (read as empty)
SIM_KPI_COLUMNS = SIM_KPIS.names


@dataclass
class Extras:
    """The scenario-side facts of a report; empty frames when they are not known."""

    name: str = ""
    description: str = ""
    assumptions: pd.DataFrame = field(
        default_factory=lambda: EXTRA_TABLES["assumptions"].empty())
    corridors: pd.DataFrame = field(
        default_factory=lambda: EXTRA_TABLES["corridor_info"].empty())
    sim_kpis: pd.DataFrame | None = None
    backtest: pd.DataFrame | None = None  # written by `titr backtest --results`
    known: bool = False  # False: the results file predates the extra tables
    focus: list[str] = field(default_factory=list)  # the focus crossing; [] = sea services
    study: dict[str, str] = field(default_factory=lambda: dict(NEUTRAL_STUDY))  # titles
    lines: dict[str, list[list[float]]] = field(default_factory=dict)  # edge id → [[lat, lon]]


def study_words(sc: Scenario) -> dict[str, str]:
    """The words the faces title the headline with, from the scenario's study."""
    st = sc.study_or_default()
    return {"study_name": st.name, "focus_label": st.focus_label,
            "focus_group": st.focus_group}


def assumption_rows(sc: Scenario) -> list[dict[str, Any]]:
    """Every figure of the scenario without a source, with the reason given for it."""
    return [{"path": path, "value": f.value, "unit": f.unit, "assumption": f.assumption or "",
             "note": f.note or ""} for path, f in sc.figures() if not f.source]


def edge_lines(sc: Scenario) -> dict[str, list[list[float]]]:
    """Each link's and sea service's line on the map (as of the last year, when most exist)."""
    net = sc.network(sc.last_year)
    items: list[Link | SeaService] = [*net.links.values(), *net.services.values()]
    return {it.id: [[round(lat, 3), round(lon, 3)] for lat, lon in line_of(it, net.nodes)]
            for it in items}


def extras_from_scenario(sc: Scenario, sim_kpis: pd.DataFrame | None = None) -> Extras:
    corridors = [{"id": c.id, "name": c.name or c.id, "group": c.group, "color": c.color,
                  "via": ", ".join(c.via)} for c in sc.corridors]
    return Extras(
        name=sc.name, description=sc.description,
        assumptions=EXTRA_TABLES["assumptions"].frame(assumption_rows(sc)),
        corridors=EXTRA_TABLES["corridor_info"].frame(corridors),
        sim_kpis=sim_kpis_frame(sim_kpis), known=True, focus=sorted(sc.focus_ids()),
        study=study_words(sc),
        lines=edge_lines(sc))


def save_extras(path: str | Path, sc: Scenario, sim_kpis: pd.DataFrame | None = None) -> None:
    """Add the extra tables to a results DuckDB (call it inside the same atomic write);
    ``sim_kpis`` (year, corridor, cargo, median_days, p90_days) when years were simulated."""
    ex = extras_from_scenario(sc, sim_kpis)
    info = pd.DataFrame([{"id": sc.id, "name": sc.name, "description": sc.description,
                          "file": sc.path, "first_year": sc.first_year,
                          "last_year": sc.last_year, "focus": ",".join(ex.focus),
                          **{k: ex.study[k] for k in ("study_name", "focus_label",
                                                      "focus_group")}}])
    con = duckdb.connect(str(path))
    try:
        lines = EXTRA_TABLES["edge_lines"].frame(
            {"id": k, "path": json.dumps(v)} for k, v in ex.lines.items())
        tables = [("scenario_info", info), ("assumptions", ex.assumptions),
                  ("corridor_info", ex.corridors), ("edge_lines", lines)]
        if ex.sim_kpis is not None:
            tables.append(("sim_kpis", ex.sim_kpis))
        for name, frame in tables:
            write_table(con, spec(f"results.{name}"), frame)
    finally:
        con.close()


def sim_kpis_frame(kpis: pd.DataFrame | None, year: int | None = None) -> pd.DataFrame | None:
    """Simulated door-to-door days as (year, corridor, cargo, median_days, p90_days).

    Accepts that wide form, or the simulation's long form (corridor, cargo, metric, mean) of
    one year, which then needs ``year``.
    """
    if kpis is None or kpis.empty:
        return None
    df = kpis
    if "metric" in df.columns and "median_days" not in df.columns:
        if year is None and "year" not in df.columns:
            raise fail("simulated KPIs in long form need the year they belong to",
                       where="sim_kpis", fix="pass year=…")
        keys = [k for k in ("year", "corridor", "cargo") if k in df.columns]
        df = (df[df.metric.isin(["median_days", "p90_days"])]
              .pivot_table(index=keys, columns="metric", values="mean").reset_index())
        df.columns.name = None
    if "year" not in df.columns:
        df = df.assign(year=year)
    missing = [c for c in SIM_KPI_COLUMNS if c not in df.columns]
    if missing:
        raise fail(f"simulated KPIs lack the columns {', '.join(missing)}", where="sim_kpis",
                   fix=f"give a table with {', '.join(SIM_KPI_COLUMNS)}")
    return SIM_KPIS.conform(df[SIM_KPI_COLUMNS].reset_index(drop=True))


def read_results(path: str | Path) -> tuple[AssessmentResult, Extras]:
    """Load a results DuckDB and its extra tables; bad paths end in one clear message."""
    p = regular_file(path, "results", "give the .duckdb file written by `titr assess` "
                     "(titr-out/assessment.duckdb)")
    where = str(p)
    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error:
        raise fail("not a DuckDB database", where=where,
                   fix="give the .duckdb file written by `titr assess`") from None
    try:
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        missing = [t for t in (*TABLES, "meta") if t not in present and t not in NEWER]
        if missing:
            raise fail(f"not a titr results database: tables {', '.join(missing)} are missing",
                       where=where, fix="run `titr assess` again to write it")
        extra = {t: con.execute(f"SELECT * FROM {t}").df()
                 for t in (*EXTRA_TABLES, "sim_kpis") if t in present}
    except duckdb.Error as e:
        raise fail(f"cannot read the results database: {type(e).__name__}", where=where,
                   fix="run `titr assess` again to write it") from None
    finally:
        con.close()
    try:
        res = AssessmentResult.load(p)
    except (duckdb.Error, KeyError, ValueError, TypeError):
        raise fail("not a titr results database (its tables do not have the expected "
                   "columns)", where=where, fix="run `titr assess` again to write it") from None
    info = extra.get("scenario_info")
    ex = Extras()
    if info is not None and len(info):
        ex.name, ex.description = str(info.name.iloc[0]), str(info.description.iloc[0] or "")
        if "focus" in info.columns:
            ex.focus = [f for f in str(info.focus.iloc[0] or "").split(",") if f]
        ex.study.update({k: str(info[k].iloc[0]) for k in NEUTRAL_STUDY if k in info.columns})
    if "assumptions" in extra:
        ex.assumptions, ex.known = extra["assumptions"], True
    if "corridor_info" in extra:
        ex.corridors = extra["corridor_info"]
    if "edge_lines" in extra:
        lines = extra["edge_lines"]
        ex.lines = {str(i): json.loads(str(p)) for i, p in zip(lines.id, lines.path, strict=True)}
    if "sim_kpis" in extra:
        ex.sim_kpis = sim_kpis_frame(extra["sim_kpis"])
    if "backtest" in extra:
        ex.backtest = extra["backtest"]
    return res, ex


def save_backtest(path: str | Path, table: pd.DataFrame, until: int) -> None:
    """Add (or replace) the backtest table in a results DuckDB (inside an atomic write)."""
    con = duckdb.connect(str(path))
    try:
        write_table(con, EXTRA_TABLES["backtest"], table.assign(until=until))
    finally:
        con.close()


def table_names(path: str | Path) -> list[str]:
    """Every table of a results DuckDB, in a stable order (the documented ones first)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
    finally:
        con.close()
    order = [*TABLES, "meta", *EXTRA_TABLES]
    return [n for n in order if n in names] + [n for n in names if n not in order]
