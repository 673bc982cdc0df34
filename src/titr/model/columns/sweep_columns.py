"""A sweep's tables (``titr sweep``): its DuckDB file or folder of Parquet partitions, and what
is computed from them (:class:`titr.experiments.sweep.SweepResult`)."""

from __future__ import annotations

from titr.model.columns.declare import table

F, INT, I32, S = "float64", "int64", "int32", "str"
PARAMETERS = "one column per parameter: its design value at the point (a factor for a " \
             "relative parameter)"
POINT = ("point", I32, "", "design point index")
REPLICATION = ("replication", I32, "", "replication index")
TARGET = [("output", S, "", "output name (`titr sweep outputs`)"),
          ("subject", S, "", "empty for the whole corridor; corridor/cargo for door-to-door "
           "times; the sea service (or service/reverse) for waits for a vessel")]

SWEEP = table("sweep", "sweep", "one fact about the sweep", [
    ("key", S, "", "experiment, fingerprint, file, scenario, parameters, total_runs, created, "
     "titr"), ("value", S, "", "its value as JSON")])

POINTS = table("sweep", "points", "one design point", [
    ("point", INT, "", "design point index"),
    ("overrides", S, "", "JSON: the concrete --set overrides of the point"),
], varying=PARAMETERS)

RUNS = table("sweep", "runs", "one finished run (a point's replication; stored once)", [
    POINT, REPLICATION, ("seconds", F, "s", "its run time"),
    ("worker", S, "", "the worker that ran it"), ("finished", "datetime", "UTC",
                                                  "when it was stored"),
])

OUTPUTS = table("sweep", "outputs", "one output of one run", [
    POINT, REPLICATION, ("year", I32, "year", "year assessed or simulated"), *TARGET,
    ("value", F, "", "its value (unit: see `titr sweep outputs`)"),
    ("text", S, "", "a label where the output has one (the bottleneck's name)"),
])

SUMMARY = table("sweep", "summary", "one output of one point and year across replications", [
    ("point", INT, "", "design point index"), ("year", I32, "year", "year"), *TARGET,
    ("mean", F, "", "mean over replications"), ("sd", F, "", "standard deviation"),
    ("ci_low", F, "", "lower bound of the 95 % t-interval, clipped to the output's bounds "
     "(NaN with one replication)"),
    ("ci_high", F, "", "upper bound of the 95 % t-interval, clipped to the output's bounds"),
    ("replications", INT, "", "replications with a value"),
    ("text", S, "", "the most frequent label"),
], varying=PARAMETERS)

SENSITIVITY = table("sweep", "sensitivity", "one parameter's effect on one output", [
    ("year", INT, "year", "year"), *TARGET, ("parameter", S, "", "parameter name"),
    ("importance", F, "", "|src| or |srrc| (see method)"),
    ("rank", INT, "", "1 = moves the output most"),
    ("method", S, "", "src, srrc, spearman or constant"),
    ("src", F, "", "standardized regression coefficient"),
    ("srrc", F, "", "standardized rank regression coefficient"),
    ("spearman", F, "", "rank correlation"), ("r2", F, "1", "R² of the linear fit"),
    ("r2_rank", F, "1", "R² of the rank fit"), ("points", INT, "", "points fitted"),
])

RANGES = table("sweep", "ranges", "one output of one year over the whole sweep", [
    *TARGET, ("year", INT, "year", "year"),
    ("lowest", S, "", "lowest point mean: mean [95 % CI] (point)"),
    ("highest", S, "", "highest point mean: mean [95 % CI] (point)"),
])

SWEEPS = (SWEEP, POINTS, RUNS, OUTPUTS, SUMMARY, SENSITIVITY, RANGES)
