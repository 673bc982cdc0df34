"""Tables of the studies that run assignment and simulation together: a closure's effect
(``titr closure``) and the assessment with simulated waits (``titr assess --simulate-waits``)."""

from __future__ import annotations

from titr.model.columns.declare import table

F, INT, S = "float64", "int64", "str"
PERIOD = ("period", S, "", "closure (units entering while closed) or rest of year")

VOLUMES = table("closure", "volumes", "one corridor, open and closed", [
    ("corridor", S, "", "corridor id (other: on no declared corridor)"),
    ("open_t_per_day", F, "t/day", "tonnes a day with every corridor open"),
    ("closed_t_per_day", F, "t/day", "tonnes a day while the corridor is closed"),
    ("annual_change_t", F, "t/yr", "the change over the year (closed months only)"),
])

KPIS = table("closure", "kpis", "one corridor, cargo and period", [
    ("corridor", S, "", "corridor id"), ("cargo", S, "", "cargo class"), PERIOD,
    ("units", F, "units/yr", "units done (mean over replications)"),
    ("median_days", F, "days", "median door-to-door days (weighted by units)"),
    ("p90_days", F, "days", "90th percentile door-to-door days"),
])

WAITS = table("closure", "waits", "one corridor and period: units that waited for a vessel", [
    ("corridor", S, "", "corridor id"), PERIOD,
    ("mean", F, "days", "mean wait for a vessel"),
    ("p90", F, "days", "90th percentile wait for a vessel"),
])

MOVED = table("coupling", "moved", "one headline figure of a year, queueing vs simulated waits", [
    ("year", INT, "year", "year"),
    ("quantity", S, "", "focus t, focus TEU, focus share or focus days"),
    ("queueing", F, "", "with the queueing approximation of the waits"),
    ("simulated", F, "", "with the simulated waits"), ("change", F, "", "simulated − queueing"),
])

STUDIES = (VOLUMES, KPIS, WAITS, MOVED)
