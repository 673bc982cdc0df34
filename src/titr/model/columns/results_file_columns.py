"""Tables a results file keeps beside the assessment's own, so that ``titr report`` and
``titr export`` need nothing but the file."""

from __future__ import annotations

from titr.model.columns.assessment_columns import BACKTEST
from titr.model.columns.declare import table

F, INT, S = "float64", "int64", "str"

META = table("results", "meta", "one fact about the run", [
    ("key", S, "", "years, seconds, parameters, projects, waits, scenario …"),
    ("value", S, "", "its value as JSON"),
])

SCENARIO_INFO = table("results", "scenario_info", "the scenario assessed (one row)", [
    ("id", S, "", "scenario id"), ("name", S, "", "name"),
    ("description", S, "", "description"), ("file", S, "", "scenario file"),
    ("first_year", INT, "year", "first year of the horizon"),
    ("last_year", INT, "year", "last year of the horizon"),
    ("focus", S, "", "ids of the links and services of the focus crossing, comma-separated"),
    ("study_name", S, "", "what is studied, for titles"),
    ("focus_label", S, "", "words for the focus crossing's volume"),
    ("focus_group", S, "", "the corridor group whose share and days are the headline"),
])

ASSUMPTIONS = table("results", "assumptions", "one figure of the scenario without a source", [
    ("path", S, "", "field path of the figure"), ("value", F, "", "its value"),
    ("unit", S, "", "its unit"), ("assumption", S, "", "why this value"),
    ("note", S, "", "the figure's note"),
])

CORRIDOR_INFO = table("results", "corridor_info", "one corridor of the scenario", [
    ("id", S, "", "corridor id"), ("name", S, "", "name"), ("group", S, "", "corridor group"),
    ("color", S, "", "CSS colour"), ("via", S, "", "ids a path must use, comma-separated"),
])

EDGE_LINES = table("results", "edge_lines", "one link or sea service on the map", [
    ("id", S, "", "link or sea service id"),
    ("path", S, "", "its line: JSON [[lat, lon], …] from its first node to its last (sea legs "
     "follow the sea lanes)"),
])

SIM_KPIS = table("results", "sim_kpis", "simulated door-to-door days of one corridor and "
                 "cargo in a year", [
    ("year", INT, "year", "simulated year"), ("corridor", S, "", "corridor id"),
    ("cargo", S, "", "cargo class"),
    ("median_days", F, "days", "median door-to-door days (mean over replications)"),
    ("p90_days", F, "days", "90th percentile door-to-door days (mean over replications)"),
])

BACKTEST_KEPT = table("results", "backtest", "one observation of `titr backtest --results`", [
    *((c.name, c.dtype, c.unit, c.description) for c in BACKTEST.columns),
    ("until", INT, "year", "the backtest's cut-off year"),
])

RESULTS_FILE = (META, SCENARIO_INFO, ASSUMPTIONS, CORRIDOR_INFO, EDGE_LINES, SIM_KPIS,
                BACKTEST_KEPT)
