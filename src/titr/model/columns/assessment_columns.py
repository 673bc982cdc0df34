"""The assessment's tables (``titr assess``,
:class:`titr.assign.assessment_result.AssessmentResult`), the route comparison
(``titr routes``), the project ranking and the backtest."""

from __future__ import annotations

from titr.model.columns.declare import table

F, INT, S, B = "float64", "int64", "str", "bool"
YEAR = ("year", INT, "year", "calendar year")
DEMAND_KEY = [("demand", S, "", "demand id"), ("origin", S, "", "origin node id"),
              ("destination", S, "", "destination node id"), ("cargo", S, "", "cargo class"),
              ("kind", S, "", "contestable or captive")]

TOTALS = table("assessment", "totals", "one year: the headline figures", [
    YEAR,
    ("focus_t", F, "t/yr", "tonnes across the focus crossing (the study's focus links and "
     "services)"),
    ("focus_teu", F, "TEU/yr", "TEU across the focus crossing"),
    ("focus_share", F, "1", "the focus group's share of contestable tonnes"),
    ("unserved_t", F, "t/yr", "tonnes not carried at all (see the unserved table)"),
    ("unserved_cost_usd", F, "USD/yr", "what not carrying them costs: extra cost of their "
     "alternatives"),
    ("diverted_t", F, "t/yr", "tonnes pushed off their chosen corridor by capacity"),
    ("cost_usd", F, "USD/yr", "tariffs and charges of all carried cargo"),
    ("co2_t", F, "tCO2/yr", "CO2 of all carried cargo"),
    ("gen_cost_usd", F, "USD/yr", "what all shippers bear: money, value of time (with this "
     "year's waits) and carbon price of the carried cargo, plus the cost of the unserved"),
    ("bottleneck", S, "", "the resource whose extra capacity is worth most (highest shadow "
     "price); empty if none binds"),
    ("bottleneck_usd_per_t", F, "USD/t", "its shadow price per tonne of extra annual capacity"),
    ("focus_days", F, "days", "median door-to-door days of the focus group's contestable "
     "cargo (weighted by tonnes)"),
    ("gap", F, "1", "largest change of a share in the last round"),
    ("iterations", INT, "", "rounds of assignment and congestion"),
    ("events", S, "", "events in force this year (ids, comma-separated)"),
])

FLOWS = table("assessment", "flows", "one element, direction and cargo class in a year", [
    YEAR, ("element", S, "", "link or sea service id"), ("kind", S, "", "link or service"),
    ("direction", S, "", "forward (as written) or reverse"), ("cargo", S, "", "cargo class"),
    ("tonnes", F, "t/yr", "tonnes carried"),
    ("teu", F, "TEU/yr", "TEU carried (containers; empty for other cargo)"),
])

UTILISATION = table("assessment", "utilisation", "one capacity (resource) in a year", [
    YEAR, ("resource", S, "", "resource key"),
    ("kind", S, "", "link, service, handling, border or gauge"),
    ("element", S, "", "id of the link, service or node"), ("label", S, "", "readable name"),
    ("capacity", S, "", "capacity as given in the scenario, with its unit"),
    ("main_cargo", S, "", "cargo class using it most"),
    ("capacity_t", F, "t/yr", "capacity in tonnes of the main cargo"),
    ("flow_t", F, "t/yr", "tonnes through it"),
    ("utilisation", F, "1", "share of capacity used"),
    ("binding", B, "", "at capacity with a positive shadow price"),
    ("shadow_usd_per_t", F, "USD/t", "value of one more tonne of annual capacity (for a sea "
     "service, including the shorter waits it brings)"),
    ("shadow_usd_per_year", F, "USD/yr", "value of one more whole capacity"),
])

DEMAND = table("assessment", "demand", "one demand item in a year", [
    YEAR, *DEMAND_KEY, ("demand_t", F, "t/yr", "demand"),
    ("focus_group_t", F, "t/yr", "carried on the focus group's corridors"),
    ("other_corridors_t", F, "t/yr", "carried elsewhere (incl. diverted)"),
    ("diverted_t", F, "t/yr", "pushed off its chosen corridor by capacity"),
    ("unserved_t", F, "t/yr", "not carried at all"),
])

SHARES = table("assessment", "shares", "one demand item on one corridor in a year", [
    YEAR, *DEMAND_KEY, ("corridor", S, "", "corridor id (other: on no declared corridor)"),
    ("tonnes", F, "t/yr", "tonnes carried on it"), ("share", F, "1", "of the demand item"),
    ("teu", F, "TEU/yr", "TEU carried on it (containers)"),
])

CORRIDORS = table("assessment", "corridors", "the best path of one contestable pair and cargo "
                  "on one corridor in a year", [
    YEAR, ("origin", S, "", "origin node id"), ("destination", S, "", "destination node id"),
    ("cargo", S, "", "cargo class"), ("corridor", S, "", "corridor id"),
    ("days", F, "days", "door-to-door days with congested waits"), ("km", F, "km", "distance"),
    ("cost_usd_per_t", F, "USD/t", "tariffs and charges"),
    ("cost_usd_per_feu", F, "USD/FEU", "tariffs and charges per 40-ft container"),
    ("co2_kg_per_teu", F, "kg/TEU", "CO2 per TEU"),
    ("generalized_usd_per_t", F, "USD/t", "money + value of time + carbon price"),
])

UNSERVED = table("assessment", "unserved", "one demand item not (fully) carried in a year", [
    YEAR, *DEMAND_KEY, ("corridor", S, "", "corridor it had to use"),
    ("unserved_t", F, "t/yr", "tonnes not carried"),
    ("cost_usd_per_t", F, "USD/t", "extra cost of its real alternative"),
    ("cost_usd", F, "USD/yr", "unserved_t × cost_usd_per_t"),
    ("alternative", S, "", "the alternative and its sources"),
])

GROUPS = table("assessment", "groups", "one corridor group in a year", [
    YEAR, ("group", S, "", "corridor group"), ("tonnes", F, "t/yr", "contestable tonnes carried"),
    ("teu", F, "TEU/yr", "contestable TEU carried"),
    ("share", F, "1", "of the contestable pool"),
    ("change_points", F, "pp", "share change from the year before, percentage points"),
    ("events", S, "", "events in force this year"),
])

NODES = table("assessment", "nodes", "one node of the network (as of the last year)", [
    ("id", S, "", "node id"), ("name", S, "", "name"),
    ("country", S, "", "ISO 3166 alpha-2"), ("kind", S, "", "node kind"),
    ("lat", F, "°", "latitude"), ("lon", F, "°", "longitude"),
    ("first_year", INT, "year", "first year it exists"),
    ("border", B, "", "a border crossing point"),
    ("gauge_change", B, "", "a change of rail gauge (1435↔1520 mm) here"),
])

EDGES = table("assessment", "edges", "one link or sea service (as of the last year)", [
    ("id", S, "", "link or sea service id"), ("kind", S, "", "link or service"),
    ("mode", S, "", "rail, road, sea, pipeline"), ("name", S, "", "name"),
    ("from", S, "", "node id"), ("to", S, "", "node id"),
    ("distance_km", F, "km", "length"), ("first_year", INT, "year", "first year it exists"),
    ("sources", S, "", "source ids of its figures"),
])

PROJECTS = table("assessment", "projects", "one project of the scenario", [
    ("id", S, "", "project id"), ("name", S, "", "name"),
    ("year", INT, "year", "year it opens"), ("status", S, "", "planned, under construction …"),
    ("sources", S, "", "source ids, or the assumption"), ("description", S, "", "what it does"),
])

EVENTS = table("assessment", "events", "one event of the scenario", [
    ("id", S, "", "event id"), ("name", S, "", "name"),
    ("start", INT, "year", "first year in force"),
    ("end", F, "year", "last year in force (empty: to the horizon)"),
    ("duration", S, "years", "min/mode/max years, if drawn"),
    ("sources", S, "", "source ids, or the assumption"), ("description", S, "", "what happens"),
])

SOURCES = table("assessment", "sources", "one source of the scenario", [
    ("id", S, "", "source tag"), ("title", S, "", "title"), ("publisher", S, "", "publisher"),
    ("date", S, "", "date of publication"), ("url", S, "", "where to find it"),
    ("figures", INT, "", "figures of the scenario citing it"),
])

OBSERVATION = [
    YEAR, ("observation", S, "", "observation id"),
    ("quantity", S, "", "tonnes, teu or transit-days"),
    ("observed", F, "", "observed value (in the quantity's unit)"),
    ("modelled", F, "", "modelled value (in the quantity's unit)"),
    ("error_pct", F, "%", "(modelled − observed) / observed × 100"),
]
CALIBRATION = table("assessment", "calibration", "one observation against the model", [
    *OBSERVATION, ("source", S, "", "source tag of the observation"),
    ("set", S, "", "fit (the parameters are fitted on it) or validation (judges only)"),
    ("scope", S, "", "corridor, port, line or group"),
])

# the tables of an AssessmentResult, in the order they are saved
ASSESSMENT = (TOTALS, FLOWS, UTILISATION, DEMAND, SHARES, CORRIDORS, UNSERVED, GROUPS, NODES,
              EDGES, PROJECTS, EVENTS, SOURCES, CALIBRATION)

BACKTEST = table("backtest", "table", "one observation: fit, validation or forecast", [
    *OBSERVATION,
    ("set", S, "", "fit or validation (up to the cut-off), or forecast (after it)"),
])

PROJECT_VALUES = table("projects", "values", "one project opened by the year ranked", [
    ("project", S, "", "project id"), ("name", S, "", "name"),
    ("opens", INT, "year", "year it opens"),
    ("gen_cost_saved_usd", F, "USD/yr", "what all shippers save: generalised cost (money, "
     "time, carbon) of the carried cargo plus the cost of the unserved, without minus with"),
    ("volume_t", F, "t/yr", "tonnes across the focus crossing with it, minus without it"),
    ("teu", F, "TEU/yr", "TEU across the focus crossing, with minus without"),
    ("days_saved", F, "days", "median days of the focus group saved (without − with)"),
    ("unserved_t", F, "t/yr", "tonnes no longer left unserved (without − with)"),
    ("relieved", S, "", "resources binding without the project and not with it"),
    ("with_dependents", S, "", "projects that cannot stand without it, dropped with it"),
    ("sources", S, "", "source ids, or the assumption"),
])

ROUTES = table("routes", "routes", "one corridor's best path between two places", [
    ("rank", INT, "", "1 = cheapest by generalized cost"),
    ("corridor", S, "", "corridor id (the scenario's [[corridors]])"),
    ("group", S, "", "corridor group (the scenario's corridor families)"),
    ("days", F, "days", "door-to-door time (travel, dwell, borders, expected wait for a "
     "vessel)"),
    ("wait_days", F, "days", "part of days spent waiting for a vessel or at borders"),
    ("km", F, "km", "distance"),
    ("cost_usd_per_t", F, "USD/t", "tariffs and charges"),
    ("cost_usd_per_feu", F, "USD/FEU", "tariffs and charges per 40-ft container (containers "
     "only)"),
    ("co2_kg_per_t", F, "kg/t", "CO2 per tonne"),
    ("co2_kg_per_teu", F, "kg/TEU", "CO2 per TEU (containers only)"),
    ("generalized_usd_per_t", F, "USD/t", "money + value of time + carbon price"),
    ("via", S, "", "the ports and border crossings passed"),
    ("legs", S, "", "the path: links and sea services in order"),
    ("nodes", S, "", "the nodes passed, in order"),
])

# what the dashboard's API answers beside the assessment's own tables
VOLUMES = table("dashboard", "volumes", "one corridor in a year (all demand items)", [
    YEAR, ("corridor", S, "", "corridor id (other: on no declared corridor)"),
    ("tonnes", F, "t/yr", "tonnes carried on it"), ("teu", F, "TEU/yr", "TEU carried on it"),
])
SWEEP_POINTS = table("dashboard", "sweep_points", "one value of the varied lever in a year", [
    ("value", F, "", "the lever's value"),
    *((c.name, c.dtype, c.unit, c.description) for c in TOTALS.columns),
])
SIM_KPIS = table("dashboard", "sim_kpis", "one corridor and cargo of a simulation job", [
    ("corridor", S, "", "corridor id"), ("cargo", S, "", "cargo class"),
    ("units", F, "", "units entering in the year (mean over replications)"),
    ("median_days", F, "days", "median door-to-door days"),
    ("median_lo", F, "days", "its 95 % t-interval, low"),
    ("median_hi", F, "days", "its 95 % t-interval, high"),
    ("p90_days", F, "days", "90th percentile door-to-door days"),
    ("p90_lo", F, "days", "its 95 % t-interval, low"),
    ("p90_hi", F, "days", "its 95 % t-interval, high"),
    ("vessel_wait_days", F, "days", "mean waiting for a vessel"),
    ("border_days", F, "days", "mean at borders"),
])
PORT_WAITS = table("dashboard", "port_waits", "one sea service and direction of a simulation "
                   "job", [
    ("service", S, "", "sea service id"), ("direction", S, "", "forward or reverse"),
    ("port", S, "", "port node id"),
    ("mean_days", F, "days", "mean wait for a vessel (mean over replications)"),
    ("p90_days", F, "days", "90th percentile wait (mean over replications)"),
])
DASHBOARD = (VOLUMES, SWEEP_POINTS, SIM_KPIS, PORT_WAITS)
