"""The assessment's result: tidy tables with documented columns, saved to and read from DuckDB."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from titr.model.columns import TableSpec, family, spec
from titr.model.columns.declare import read_table, write_table
from titr.model.overview import Overviewed, number, table_sizes

# the tables of an AssessmentResult, declared in titr.model.columns.assessment_columns (name → spec)
TABLES: dict[str, TableSpec] = family("assessment")

# tables a results file written by an older titr may lack (read as empty)
LATER_TABLES = ("unserved", "groups", "events")


@dataclass(repr=False)
class AssessmentResult(Overviewed):
    """Year-by-year results; every table is a pandas DataFrame with the columns and dtypes of
    its declaration in ``TABLES`` (the registry's ``assessment`` family)."""

    scenario: str
    totals: pd.DataFrame
    flows: pd.DataFrame
    utilisation: pd.DataFrame
    demand: pd.DataFrame
    shares: pd.DataFrame
    corridors: pd.DataFrame
    unserved: pd.DataFrame
    groups: pd.DataFrame
    calibration: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame
    projects: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def bottlenecks(self) -> pd.DataFrame:
        """The ``utilisation`` rows that bind (full, with a positive shadow price), by year
        and then by shadow price, highest first."""
        u = self.utilisation
        return u[u["binding"]].sort_values(["year", "shadow_usd_per_t"],
                                           ascending=[True, False]).reset_index(drop=True)

    def save(self, path: str | Path) -> None:
        """Write every table to a DuckDB file (the caller makes it atomic)."""
        con = duckdb.connect(str(path))
        try:
            for name, table in TABLES.items():
                write_table(con, table, getattr(self, name))
            meta = pd.DataFrame([{"key": k, "value": json.dumps(v)} for k, v in
                                 {**self.meta, "scenario": self.scenario}.items()])
            write_table(con, spec("results.meta"), meta)
        finally:
            con.close()

    @classmethod
    def load(cls, path: str | Path) -> AssessmentResult:
        """Read a results file written by :meth:`save` (or by ``titr assess``)."""
        con = duckdb.connect(str(path), read_only=True)
        try:
            stored = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
            # a file from an older titr lacks the newer tables: read them as empty
            frames = {name: read_table(con, table) if name in stored else table.empty()
                      for name, table in TABLES.items()}
            meta = {r[0]: json.loads(r[1]) for r in
                    con.execute("SELECT key, value FROM meta").fetchall()}
        finally:
            con.close()
        return cls(scenario=meta.pop("scenario"), meta=meta, **frames)

    def summary(self) -> pd.DataFrame:
        """One row a year: the focus crossing's tonnes and TEU, the focus group's share and median
        days, the bottleneck and its shadow price (columns of ``totals``)."""
        t = self.totals
        return t[["year", "focus_t", "focus_teu", "focus_share", "focus_days",
                  "unserved_t", "bottleneck", "bottleneck_usd_per_t"]].copy()

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        t = self.totals
        facts = {"years": f"{t.year.min()}–{t.year.max()}" if len(t) else "no years"}
        if len(t):
            last = t.iloc[-1]
            facts[f"{last.year}"] = (f"focus {number(last.focus_t)} t/yr, share "
                                     f"{number(last.focus_share)}, unserved "
                                     f"{number(last.unserved_t)} t/yr, bottleneck "
                                     f"{last.bottleneck or '–'}")
        facts["bottlenecks"] = f"{len(self.bottlenecks)} binding (resource, year)"
        facts["tables"] = table_sizes({n: getattr(self, n) for n in TABLES})
        return "AssessmentResult", self.scenario, facts
