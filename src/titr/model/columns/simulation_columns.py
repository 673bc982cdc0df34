"""The simulation's tables (``titr simulate``, :class:`titr.sim.results.SimResult`).

Times are hours (``_h``) or days (``_days``) since 1 January 00:00 of the simulated year, or
durations. A unit is *measured* when it entered the network during the measured year.
"""

from __future__ import annotations

from titr.model.columns.declare import table

F, INT, S, B, CAT = "float64", "int64", "str", "bool", "category"
REP = ("replication", INT, "", "replication index (0, 1, …)")
INTERVAL = [("mean", F, "", "mean over replications (in the metric's unit)"),
            ("ci_low", F, "", "lower bound of its 95 % t-interval (NaN with one replication)"),
            ("ci_high", F, "", "upper bound of its 95 % t-interval"),
            ("replications", INT, "", "replications with a value")]

UNITS = table("simulation", "units", "one measured consignment: a unit, or on routes that "
              "never split their trains a whole train", [
    ("replication", "int32", "", "replication index"), ("route", CAT, "", "route id"),
    ("corridor", CAT, "", "corridor id"), ("cargo", CAT, "", "cargo class"),
    ("unit", INT, "", "index within the route"), ("units", INT, "", "units the row stands for"),
    ("enter_day", F, "days", "when it entered, since 1 January"),
    ("total_h", F, "h", "door to door (inf if not done when the run stopped)"),
    ("vessel_wait_h", F, "h", "port queue, storm holds, wait for a berth to unload"),
    ("border_h", F, "h", "at border crossing points"),
    ("transship_h", F, "h", "gauge change, dwell, vessel loading and unloading"),
    ("moving_h", F, "h", "on legs and sailing"),
    ("done", B, "", "arrived before the run stopped"),
])

RESOURCES = table("simulation", "resources", "one station, port queue or berth set in a "
                  "replication", [
    ("customers", F, "", "arrivals in the year: trains or units, vessel calls for berths"),
    ("mean_wait_h", F, "h", "mean wait before service"),
    ("p90_wait_h", F, "h", "90th percentile wait"),
    ("mean_time_h", F, "h", "mean wait + service: the time to clear"),
    ("median_time_h", F, "h", "median time to clear"),
    ("p90_time_h", F, "h", "90th percentile time to clear"),
    ("mean_queue", F, "", "time-weighted mean number waiting"),
    ("busy", F, "", "mean number in service"), ("utilisation", F, "1", "busy / servers"),
    ("resource", S, "", "resource key (kind:node:…)"),
    ("kind", S, "", "border, gauge, port or berths"), ("node", S, "", "node id"),
    ("servers", F, "", "parallel servers (tracks, berths …)"), REP,
])

QUEUES = table("simulation", "queues", "the queue at one resource at 00:00 of one day", [
    REP, ("resource", CAT, "", "resource key"), ("day", INT, "", "day of the year from 0"),
    ("queue", F, "", "number waiting"),
])

SAILINGS = table("simulation", "sailings", "one sailing that took cargo or left its home port", [
    REP, ("line", CAT, "", "shipping line id"), ("direction", CAT, "", "forward or reverse"),
    ("vessel", CAT, "", "vessel label line/fleet/n"), ("fleet", CAT, "", "fleet id"),
    ("take_h", F, "h", "when it took its cargo"), ("depart_h", F, "h", "departure"),
    ("arrive_h", F, "h", "arrival"), ("unload_end_h", F, "h", "end of unloading"),
    ("units", INT, "", "units carried"), ("load", F, "", "load in the fleet's load unit"),
    ("capacity", F, "", "capacity in the fleet's load unit"),
    ("load_factor", F, "1", "load / capacity"),
    ("weather_hold_h", F, "h", "held in port by weather"),
])

VESSELS = table("simulation", "vessels", "one vessel in a replication", [
    ("vessel", S, "", "vessel label line/fleet/n"), REP, ("line", S, "", "shipping line id"),
    ("fleet", S, "", "fleet id"), ("sailings", INT, "", "sailings leaving in the year"),
    ("rotations", INT, "", "sailings from its home port"), ("units", INT, "", "units carried"),
    ("mean_load_factor", F, "1", "mean load / capacity"),
    ("weather_hold_h", F, "h", "held in port by weather"),
])

# the per-replication figures of measured units; every one but the keys is a KPI metric
FLOW_STATS = table("simulation", "flow_stats", "one corridor and cargo in a replication", [
    ("corridor", S, "", "corridor id"), ("cargo", S, "", "cargo class"), REP,
    ("units", F, "", "units entering in the year"),
    ("done_share", F, "1", "share of them done when the run stopped"),
    ("mean_days", F, "days", "mean door-to-door days"),
    ("median_days", F, "days", "median door-to-door days"),
    ("p90_days", F, "days", "90th percentile door-to-door days"),
    ("vessel_wait_days", F, "days", "mean waiting for a vessel"),
    ("border_days", F, "days", "mean at borders"),
    ("transship_days", F, "days", "mean transshipping"), ("moving_days", F, "days",
                                                          "mean moving"),
    ("swd_kmh", F, "km/h", "speed with delay: distance / total time (CAREC CPMM)"),
    ("swod_kmh", F, "km/h", "speed without delay: distance / moving time (CAREC CPMM)"),
])
KPI_METRICS = tuple(c.name for c in FLOW_STATS.columns
                    if c.name not in ("corridor", "cargo", "replication"))

KPIS = table("simulation", "kpis", "one metric of one corridor and cargo across replications", [
    ("corridor", S, "", "corridor id"), ("cargo", S, "", "cargo class"),
    ("metric", S, "", "a column of flow_stats: " + ", ".join(KPI_METRICS)), *INTERVAL,
])

ROUTE_KPIS = table("simulation", "route_kpis", "one metric of one route across replications", [
    ("route", S, "", "route id"), ("metric", S, "", "as in kpis"), *INTERVAL,
])

CPMM = table("simulation", "cpmm", "one CAREC CPMM-style indicator across replications", [
    ("resource", S, "", "border crossing point (border_hours rows)"),
    ("node", S, "", "its node (border_hours rows)"),
    ("indicator", S, "", "border_hours (mean hours to clear, per direction), swd_kmh or "
     "swod_kmh"), *INTERVAL,
    ("corridor", S, "", "corridor id (speed rows)"), ("cargo", S, "", "cargo class (speed rows)"),
])

PORT_WAITS = table("simulation", "port_waits", "the wait for a vessel on one sea service and "
                   "direction across replications", [
    ("service", S, "", "sea service id"), ("direction", S, "", "forward or reverse"),
    ("port", S, "", "port node id"), ("metric", S, "", "mean_days or p90_days"), *INTERVAL,
])

CONSERVATION = table("simulation", "conservation", "one route at the end of the year", [
    REP, ("route", S, "", "route id"), ("entered", INT, "", "units entered by the year's end"),
    ("measured", INT, "", "of them, entered during the year"),
    ("left", INT, "", "units arrived by the year's end"),
    ("in_queue", INT, "", "units waiting at the year's end"),
    ("in_transit", INT, "", "units moving at the year's end"),
    ("balanced", B, "", "entered = left + in_queue + in_transit"),
    ("unfinished", INT, "", "units not done when the run stopped (drain included)"),
])

SIMULATION = (UNITS, RESOURCES, QUEUES, SAILINGS, VESSELS, KPIS, ROUTE_KPIS, CPMM, PORT_WAITS,
              CONSERVATION, FLOW_STATS)
