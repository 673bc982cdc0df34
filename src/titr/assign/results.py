"""The assessment's result: tidy tables with documented columns, saved to and read from DuckDB."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

TABLES: dict[str, dict[str, str]] = {
    "totals": {
        "year": "year",
        "focus_t": "tonnes across the focus crossing (the study's focus links and services)",
        "focus_teu": "TEU across the focus crossing",
        "focus_share": "the focus group's share of contestable tonnes",
        "unserved_t": "tonnes not carried at all (see the unserved table)",
        "unserved_cost_usd": "what not carrying them costs: extra cost of their alternatives",
        "diverted_t": "tonnes pushed off their chosen corridor by capacity",
        "cost_usd": "tariffs and charges of all carried cargo, USD", "co2_t": "tonnes of CO2",
        "gen_cost_usd": "what all shippers bear, USD: money, value of time (with this year's "
        "waits) and carbon price of the carried cargo, plus the cost of the unserved",
        "bottleneck": "the resource whose extra capacity is worth most (highest shadow price)",
        "bottleneck_usd_per_t": "its shadow price, USD per tonne of extra annual capacity",
        "focus_days": "median door-to-door days of the focus group's contestable cargo",
        "gap": "largest change of a share in the last round", "iterations": "rounds",
        "events": "events in force this year (ids, comma-separated)",
    },
    "flows": {"year": "", "element": "link or sea service id", "kind": "link or service",
              "direction": "forward (as written) or reverse", "cargo": "cargo class",
              "tonnes": "t/yr", "teu": "TEU/yr (containers)"},
    "utilisation": {"year": "", "resource": "resource key", "kind": "link, service, handling, "
                    "border or gauge", "element": "id", "label": "readable name",
                    "capacity": "capacity as given", "main_cargo": "cargo class using it most",
                    "capacity_t": "capacity in t/yr for the main cargo", "flow_t": "t/yr",
                    "utilisation": "share of capacity used", "binding": "at capacity with a "
                    "positive shadow price", "shadow_usd_per_t": "value of one more tonne of "
                    "annual capacity, USD/t (for a sea service, including the shorter waits "
                    "it brings)", "shadow_usd_per_year": "value of one more whole capacity, "
                    "USD/yr"},
    "demand": {"year": "", "demand": "demand id", "origin": "", "destination": "",
               "cargo": "", "kind": "contestable or captive", "demand_t": "t/yr",
               "focus_group_t": "carried on the focus group's corridors",
               "other_corridors_t": "carried elsewhere (incl. diverted)",
               "diverted_t": "pushed off its chosen corridor by capacity",
               "unserved_t": "not carried at all"},
    "shares": {"year": "", "demand": "", "origin": "", "destination": "", "cargo": "",
               "kind": "", "corridor": "corridor id", "tonnes": "t/yr", "share": "of the "
               "demand item", "teu": "TEU/yr"},
    "corridors": {"year": "", "origin": "", "destination": "", "cargo": "",
                  "corridor": "", "days": "door-to-door days with congested waits",
                  "km": "", "cost_usd_per_t": "", "cost_usd_per_feu": "",
                  "co2_kg_per_teu": "", "generalized_usd_per_t": ""},
    "unserved": {"year": "", "demand": "demand id", "origin": "", "destination": "",
                 "cargo": "", "kind": "", "corridor": "corridor it had to use",
                 "unserved_t": "t/yr not carried", "cost_usd_per_t": "extra cost of its real "
                 "alternative, USD/t", "cost_usd": "unserved_t × cost_usd_per_t",
                 "alternative": "the alternative and its sources"},
    "groups": {"year": "", "group": "corridor group", "tonnes": "contestable t/yr carried",
               "teu": "TEU/yr", "share": "of the contestable pool",
               "change_points": "share change from the year before, percentage points",
               "events": "events in force this year"},
    "nodes": {"id": "", "name": "", "country": "ISO 3166 alpha-2", "kind": "node kind",
              "lat": "", "lon": "", "first_year": "first year it exists",
              "border": "border crossing point", "gauge_change": "1435↔1520 mm change here"},
    "edges": {"id": "link or sea service id", "kind": "link or service", "mode": "rail, road, "
              "sea, pipeline", "name": "", "from": "node id", "to": "node id",
              "distance_km": "", "first_year": "first year it exists",
              "sources": "source ids of its figures"},
    "projects": {"id": "", "name": "", "year": "year it opens", "status": "", "sources": "",
                 "description": ""},
    "events": {"id": "", "name": "", "start": "first year in force", "end": "last year in "
               "force (empty: to the horizon)", "duration": "min/mode/max years, if drawn",
               "sources": "", "description": ""},
    "sources": {"id": "source tag", "title": "", "publisher": "", "date": "", "url": "",
                "figures": "figures of the scenario citing it"},
    "calibration": {"year": "", "observation": "id", "quantity": "tonnes, teu or "
                    "transit-days", "observed": "", "modelled": "", "error_pct": "(modelled "
                    "− observed) / observed × 100", "source": "",
                    "set": "fit (the parameters are fitted on it) or validation (judges only)",
                    "scope": "corridor, port, line or group"},
}

# tables a results file written by an older titr may lack (read as empty)
LATER_TABLES = ("unserved", "groups", "events")


@dataclass
class AssessmentResult:
    """Year-by-year results; every table is a pandas DataFrame described in ``TABLES``."""

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
            for name in TABLES:
                frame = getattr(self, name)  # noqa: F841 - read by DuckDB's replacement scan
                con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM frame")
            meta = pd.DataFrame([{"key": k, "value": json.dumps(v)} for k, v in
                                 {**self.meta, "scenario": self.scenario}.items()])
            con.register("meta_df", meta)
            con.execute("CREATE OR REPLACE TABLE meta AS SELECT * FROM meta_df")
        finally:
            con.close()

    @classmethod
    def load(cls, path: str | Path) -> AssessmentResult:
        """Read a results file written by :meth:`save` (or by ``titr assess``)."""
        con = duckdb.connect(str(path), read_only=True)
        try:
            stored = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
            # a file from an older titr lacks the newer tables: read them as empty
            frames = {name: con.execute(f"SELECT * FROM {name}").df() if name in stored
                      else pd.DataFrame(columns=list(cols)) for name, cols in TABLES.items()}
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

    def __repr__(self) -> str:
        t = self.totals
        years = f"{t.year.min()}–{t.year.max()}" if len(t) else "no years"
        return (f"AssessmentResult({self.scenario}, {years}; tables: "
                f"{', '.join(TABLES)}; bottlenecks: {len(self.bottlenecks)})")
