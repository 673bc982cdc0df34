"""Page generators of the titr guide, run at build time from markdown-exec blocks.

- :func:`md_table` — a DataFrame as a Markdown table (numbers formatted per column);
- :func:`scenario_reference` — every field of the scenario format, from the JSON Schema
  (``Scenario.model_json_schema(by_alias=True)``) plus the unit kinds of :mod:`titr.model.figures`;
- :func:`cli_reference` — every ``titr`` command and option, from the Typer app's click commands;
- :func:`source_counts`, :func:`assumptions`, :func:`disagreements` — the data tables of the
  built-in scenario.

A field of the scenario format that has neither a ``description`` in the schema nor a meaning in
:data:`MEANINGS` stops the build (so a new field cannot go undocumented).
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

# --------------------------------------------------------------------------------------------
# Markdown tables
# --------------------------------------------------------------------------------------------


def _cell(value: Any, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if fmt and isinstance(value, int | float) and not isinstance(value, bool):
        text = format(value, fmt)
    elif isinstance(value, float):
        text = format(value, ",.2f")
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(df: pd.DataFrame, formats: dict[str, str] | None = None,
             index: bool = False) -> str:
    """A DataFrame as a Markdown table; ``formats`` maps a column to a format spec."""
    formats = formats or {}
    if index:
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |",
             "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v, formats.get(c)) for v, c in
                                       zip(row, cols, strict=True)) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The scenario format
# --------------------------------------------------------------------------------------------

# Meanings of the fields whose schema has no description. Keys: "Model.field" (alias names).
MEANINGS: dict[str, str] = {
    # the scenario
    "Scenario.id": "the scenario's id (lower case, digits, '-'); results carry it",
    "Scenario.name": "a readable title, printed by every command",
    "Scenario.description": "free text: what the scenario describes",
    "Scenario.extends": "a built-in scenario name or a TOML path to start from; items of the "
                        "same collection merge by id, field by field. A top-level "
                        "`remove = [\"links.x\"]` drops items of the parent",
    "Scenario.first_year": "first year of the horizon (the base network's year)",
    "Scenario.last_year": "last year of the horizon",
    "Scenario.seed": "root seed of the simulation's random streams (replication r draws from "
                     "`SeedSequence((seed, r))`)",
    "Scenario.parameters": "the model's free parameters",
    "Scenario.sources": "the sources that figures name in `source`",
    "Scenario.cargo": "cargo classes and their conversions",
    "Scenario.nodes": "places: zones, stations, junctions, borders, ports, terminals",
    "Scenario.links": "rail, road, sea and pipeline links between nodes",
    "Scenario.sea_services": "lines across a sea, run by fleets",
    "Scenario.fleets": "vessels on a sea service; the service's capacity is derived from them",
    "Scenario.weather": "weather areas: storm closures and ice seasons",
    "Scenario.corridors": "named corridors: a path belongs to the first corridor whose `via` "
                          "ids it all uses",
    "Scenario.demand": "origin–destination volumes per cargo class, by year",
    "Scenario.projects": "dated changes to the base network",
    "Scenario.observed": "observed figures to calibrate against",
    # common item fields
    "*.name": "a readable name",
    "*.note": "free text: where sources disagree and which one was chosen, caveats",
    # figures
    "Figure.value": "the number",
    "Figure.unit": "its unit, e.g. `km`, `Mt/yr`, `trains/day`, `USD/TEU/km` (see Units)",
    "Figure.source": "source tag(s) from `[[sources]]`; a string or a list",
    "Figure.assumption": "why this value, when no source gives it (required without `source`)",
    "Figure.note": "free text: disagreements between sources, derivations",
    "DemandPoint.value": "the volume",
    "DemandPoint.unit": "a cargo flow: `t/yr`, `Mt/yr`, `TEU/yr`, `wagons/yr` …",
    "DemandPoint.source": "source tag(s)",
    "DemandPoint.assumption": "why this value, when no source gives it",
    "DemandPoint.note": "free text",
    "DemandPoint.year": "the year the volume applies to (volumes are interpolated between "
                        "years, flat before the first)",
    # parameters
    "Parameters.logit_scale": "θ of the logit route choice: how strongly shippers react to a "
                              "difference of generalized cost (fitted by `titr calibrate`)",
    "Parameters.market_scale": "multiplier on contestable demand (fitted)",
    "Parameters.vot_scale": "multiplier on every cargo class's value of time (fitted)",
    "Parameters.co2_price": "carbon price added to generalized cost",
    "Parameters.unserved_penalty": "cost per tonne of captive cargo left unserved in the LP",
    "Parameters.technical_availability": "share of the year a vessel is in service "
                                         "(fleets may override)",
    # sources
    "Source.id": "the tag figures use, e.g. `KZMOT26`",
    "Source.title": "title of the document or article",
    "Source.publisher": "who published it",
    "Source.date": "publication date (free form: `2025-06-03`, `~2024`)",
    "Source.url": "where to read it",
    # cargo
    "CargoClass.value_of_time": "what an hour of delay costs a shipper, per tonne or per TEU",
    # nodes
    "Node.lat": "latitude, WGS84 degrees",
    "Node.lon": "longitude, WGS84 degrees",
    "Node.kind": "what the node is",
    "Node.dwell_cv": "coefficient of variation of the dwell (simulation; default 0.5)",
    "Node.handling_cost": "charge per unit passing through",
    "Node.handling": "handling capacities, each shared by the cargo classes it names",
    "Node.berths": "berths vessels share at this port (simulation; none = no limit)",
    "Node.border": "the node is a border crossing point",
    "Node.gauge_change": "the node changes track gauge (1435 ↔ 1520 mm)",
    "Handling.id": "id of this capacity within the node (`port`, `containers` …)",
    "Handling.cargo": "cargo classes sharing it; `*` = all",
    "Handling.capacity": "annual capacity",
    "BorderCrossing.time": "mean time to clear, including the usual waiting (e.g. CAREC CPMM)",
    "BorderCrossing.time_cv": "coefficient of variation of that time (simulation; default 0.5)",
    "BorderCrossing.cost": "charge per unit crossing",
    "BorderCrossing.capacity": "throughput limit; in trains/day it also sets the number of "
                               "parallel servers (capacity × time)",
    "BorderCrossing.servers": "parallel servers (tracks, lanes), instead of deriving them",
    "GaugeChange.from_gauge": "track gauge arriving, mm",
    "GaugeChange.to_gauge": "track gauge leaving, mm",
    "GaugeChange.time": "mean time to transship or change bogies",
    "GaugeChange.cost": "charge per unit",
    "GaugeChange.capacity": "throughput limit (in trains/day: also the servers)",
    # links
    "Link.from": "node id at one end",
    "Link.to": "node id at the other end",
    "Link.mode": "rail, road, sea or pipeline",
    "Link.distance": "length",
    "Link.speed": "average running speed (give a speed or a `time`)",
    "Link.capacity": "annual or daily capacity per direction",
    "Link.tariff": "charge per unit or per unit-km, for every cargo class",
    "Link.co2": "emission intensity",
    "Link.gauge": "track gauge, mm (rail)",
    "Link.cargo": "cargo classes allowed; `*` = all",
    "Link.bidirectional": "usable in both directions (each with its own capacity)",
    "Link.operator": "who runs it (information only)",
    # sea services
    "SeaService.from": "port node id (vessels start here)",
    "SeaService.to": "port node id at the other end",
    "SeaService.kind": "kind of vessel service",
    "SeaService.distance": "sea distance between the ports",
    "SeaService.cargo": "cargo classes it carries",
    "SeaService.departure": "`when-full`: a vessel sails once `min_load` of a full load waits; "
                            "`schedule`: every `headway`, with what is waiting",
    "SeaService.tariff": "charge per unit, for every cargo class",
    "SeaService.tariffs": "per cargo class, overrides tariff",
    "SeaService.co2": "emission intensity",
    "SeaService.bidirectional": "sails both ways (each direction with its own queue)",
    # fleets
    "Fleet.service": "the sea service it runs",
    "Fleet.operator": "who runs it (information only)",
    "Fleet.vessels": "number of vessels (may be 0)",
    "Fleet.speed": "service speed",
    # weather
    "WeatherArea.storms": "storm closures: Poisson episodes in the given months",
    "WeatherArea.ice": "an ice season closed every year",
    "Storms.events_per_year": "expected storm closures a year (Poisson)",
    "Storms.mean_duration": "mean length of a closure (exponential)",
    "Ice.source": "source tag(s) of the dates",
    "Ice.assumption": "why these dates, when no source gives them",
    # corridors
    "Corridor.color": "colour in the report and dashboard (`#rrggbb`)",
    # demand
    "Demand.origin": "origin node id",
    "Demand.destination": "destination node id",
    "Demand.cargo": "cargo class id",
    "Demand.kind": "`contestable`: chooses among corridors by logit; `captive`: must use "
                   "`corridor`",
    "Demand.volume": "volumes by year (at least one point)",
    # projects
    "Project.year": "year it enters service (in the network of that year and after)",
    "Project.status": "completed, under construction, planned or announced",
    "Project.source": "source tag(s)",
    "Project.assumption": "what is assumed (e.g. an opening year not in the sources)",
    "Project.description": "what the project is",
    "Project.changes": "what it changes, applied in order",
    "Change.op": "`set` a field, `add` an item, `remove` an item, `increase` a figure",
    "Change.value": "the new value (`set`) or the increment (`increase`, a figure)",
    "Change.item": "the new item (`add`), written as in its collection",
    # observations
    "Observation.id": "id of the observation",
    "Observation.quantity": "what is observed: tonnes, TEU, transit days or a share of the "
                            "contestable pool (`corridor` names the group or corridor)",
    "Observation.year": "the year observed",
    "Observation.value": "the observed figure",
    "Observation.via": "links, sea services or nodes whose flows add up to it",
    "Observation.cargo": "cargo classes counted; `*` = all",
    "Observation.corridor": "for transit days: the corridor; for a share: the group or corridor",
    "Observation.origin": "for transit days: origin node id",
    "Observation.destination": "for transit days: destination node id",
    "Observation.weight": "weight in the calibration's least squares",
    "Observation.note": "free text",
    "Observation.set": "`fit` (calibration fits it) or `validation` (kept out of the fit, reported "
                       "apart); a backtest labels figures after its cut-off `forecast`",
    "Observation.scope": "what the figure covers, for tables: corridor, port, line or group",
    "Scenario.corridor_groups": "families of corridors, the nests of the route choice",
    "Scenario.events": "shocks that are not investments (sanctions, the Red Sea crisis): dated "
                       "changes in force from `start` to `end`",
    "Scenario.study": "what the scenario studies: headline group and crossing, default pair, "
                      "the dashboard's levers",
    "CorridorGroup.nest_scale": "μ in (0, 1]: 1 is a plain logit over all corridors; smaller, "
                                "the group's corridors are closer substitutes",
    "CorridorGroup.color": "colour in the report and dashboard (`#rrggbb`)",
    "Demand.growth_drivers": "what the growth rests on (trade, GDP, a contract), with sources",
    "GrowthDriver.value": "the driver's growth rate",
    "Event.duration": "instead of `end`: how many years it lasts (triangular distribution; "
                      "deterministic runs use the mode)",
    "Event.source": "source tag(s)",
    "Event.assumption": "what is assumed (e.g. when it ends)",
    "Event.description": "what the event is",
    "Event.changes": "what it changes while in force, applied in order",
    "EventDuration.min": "fewest years",
    "EventDuration.mode": "most likely number of years (used by deterministic runs)",
    "EventDuration.max": "most years",
    "EventDuration.source": "source tag(s)",
    "EventDuration.assumption": "why these durations",
    "Avoidance.group": "the corridor group the segment will not use while the event lasts",
    "Avoidance.share": "share of contestable shippers in that segment (unit 1); fittable by "
                       "`titr calibrate --free avoid:<event>`",
    "Study.default_destination": "destination of `titr routes` and the API when none is given",
    "Study.levers": "the what-if levers the dashboard offers",
    "Lever.min": "smallest value the dashboard accepts",
    "Lever.max": "largest value the dashboard accepts",
    "Lever.step": "step of the dashboard's control",
    "Lever.applies": "`every-year`: the figure for the whole horizon; `from-year`: from the "
                     "chosen year on",
}

# The order of the reference: each model, then the models it contains.
ORDER = ["Scenario", "Figure", "Parameters", "Source", "CargoClass", "Node", "Handling",
         "BorderCrossing", "GaugeChange", "Link", "SeaService", "Fleet", "WeatherArea", "Storms",
         "Ice", "Corridor", "CorridorGroup", "Demand", "DemandPoint", "GrowthDriver", "Project",
         "Change", "Event", "EventDuration", "Avoidance", "Observation", "Study", "Lever"]
HEADINGS = {"Scenario": "The scenario file (top level)", "Figure": "Figure",
            "Parameters": "`[parameters]`", "Source": "`[[sources]]`",
            "CargoClass": "`[[cargo]]`", "Node": "`[[nodes]]`",
            "Handling": "`handling` (in a node)", "BorderCrossing": "`border` (in a node)",
            "GaugeChange": "`gauge_change` (in a node)", "Link": "`[[links]]`",
            "SeaService": "`[[sea_services]]`", "Fleet": "`[[fleets]]`",
            "WeatherArea": "`[[weather]]`", "Storms": "`storms` (in a weather area)",
            "Ice": "`ice` (in a weather area)", "Corridor": "`[[corridors]]`",
            "Demand": "`[[demand]]`", "DemandPoint": "`volume` points (in a demand item)",
            "Project": "`[[projects]]`", "Change": "`changes` (in a project)",
            "Observation": "`[[observed]]`", "CorridorGroup": "`[[corridor_groups]]`",
            "GrowthDriver": "`growth_drivers` (in a demand item)", "Event": "`[[events]]`",
            "EventDuration": "`duration` (in an event)",
            "Avoidance": "`avoided` (in an event)", "Study": "`[study]`",
            "Lever": "`[[study.levers]]`"}


def unit_kinds() -> dict[Any, dict[str, Any]]:
    """The figure kinds of titr.model.figures: validator function → name, units, sign rule."""
    from titr.model import figures

    out: dict[Any, dict[str, Any]] = {}
    for alias, obj in vars(figures).items():
        if typing.get_origin(obj) is not typing.Annotated:
            continue
        for meta in typing.get_args(obj)[1:]:
            func = getattr(meta, "func", None)
            if func is None or func.__name__ != "check":
                continue
            nl = inspect.getclosurevars(func).nonlocals
            rule = ("> 0" if nl.get("positive") else "≥ 0" if nl.get("nonnegative") else "any")
            if nl.get("at_most_one"):
                rule += ", ≤ 1"
            out[func] = {"alias": alias, "kind": nl["name"], "units": tuple(nl["examples"]),
                         "rule": rule}
    return out


def _kind_of(annotation: Any, kinds: dict[Any, dict[str, Any]]) -> dict[str, Any] | None:
    """The unit kind inside a field's annotation (through Optional, list, dict)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            func = getattr(meta, "func", None)
            if func in kinds:
                return kinds[func]
    for arg in typing.get_args(annotation):
        found = _kind_of(arg, kinds)
        if found is not None:
            return found
    return None


def _field_kinds(model: type) -> dict[str, dict[str, Any]]:
    kinds = unit_kinds()
    out = {}
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        key = info.alias or name
        found = None
        for meta in info.metadata:
            func = getattr(meta, "func", None)
            if func in kinds:
                found = kinds[func]
        found = found or _kind_of(info.annotation, kinds)
        if found is not None:
            out[key] = found
    return out


def _kind_text(k: dict[str, Any]) -> str:
    units = [f"`{u}`" for u in k["units"]]
    shown = ", ".join(units[:4]) + (" …" if len(units) > 4 else "")
    return f"[{k['kind'].split(' ', 1)[1]}](#unit-kinds): {shown} ({k['rule']})"


def _type_text(prop: dict[str, Any] | bool) -> str:
    if isinstance(prop, bool):
        return "anything"
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return name
    if "anyOf" in prop:
        parts = [_type_text(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(parts)
    if "enum" in prop:
        return " \\| ".join(f"`{e}`" for e in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    t = prop.get("type")
    if t == "array":
        return f"list of {_type_text(prop.get('items', {}))}"
    if t == "object" and "additionalProperties" in prop:
        return f"table of {_type_text(prop['additionalProperties'])}"
    text = {"string": "string", "integer": "integer", "number": "number",
            "boolean": "boolean", "object": "table"}.get(str(t), str(t))
    limits = []
    if "minimum" in prop:
        limits.append(f"≥ {prop['minimum']}")
    if "maximum" in prop:
        limits.append(f"≤ {prop['maximum']}")
    if "pattern" in prop and "id" not in limits:
        limits.append(f"pattern `{prop['pattern']}`")
    return text + (f" ({', '.join(limits)})" if limits else "")


def _link_type(text: str) -> str:
    """Model names in a type become links to their section."""
    return re.sub(r"\b(" + "|".join(ORDER) + r")\b",
                  lambda m: f"[{m.group(1)}](#{m.group(1).lower()})", text)


def _enum_text(defs: dict[str, Any], name: str) -> str:
    return " \\| ".join(f"`{e}`" for e in defs[name]["enum"])


def _default_text(prop: dict[str, Any], required: bool) -> str:
    if required:
        return "**required**"
    if "default" not in prop:
        return "–"
    d = prop["default"]
    if d is None:
        return "none"
    if d == "":
        return '`""`'
    if d == [] or d == {}:
        return "empty"
    if isinstance(d, list):
        return ", ".join(f"`{x}`" for x in d) if len(d) < 5 else f"`{d[0]}` … `{d[-1]}`"
    if isinstance(d, bool):
        return f"`{str(d).lower()}`"
    return f"`{d}`"


def _meaning(model: str, field: str, prop: dict[str, Any], missing: list[str]) -> str:
    text = prop.get("description") or MEANINGS.get(f"{model}.{field}") or \
        MEANINGS.get(f"*.{field}")
    if not text:
        missing.append(f"{model}.{field}")
        return ""
    return text


def scenario_reference() -> str:
    """The scenario format, field by field (Markdown)."""
    from titr.model import events, schema, study
    from titr.model.figures import Figure
    from titr.model.scenario import Observation, Scenario

    full = Scenario.model_json_schema(by_alias=True)
    defs = full.pop("$defs")
    models: dict[str, type] = {"Scenario": Scenario, "Figure": Figure,
                               "Observation": Observation}
    for name in ORDER:
        if name not in models:
            models[name] = next(getattr(m, name) for m in (schema, events, study)
                                if hasattr(m, name))
    unknown = sorted(set(defs) - set(ORDER) - {"Mode", "NodeKind"})
    if unknown:
        raise RuntimeError(f"the scenario format has new models {unknown}: add them to "
                           "docs/_tools/titr_docs.py ORDER, HEADINGS and MEANINGS")
    missing: list[str] = []
    out: list[str] = []
    for name in ORDER:
        spec = full if name == "Scenario" else defs[name]
        kinds = _field_kinds(models[name])
        required = set(spec.get("required", []))
        out.append(f"## {HEADINGS[name]} {{ #{name.lower()} }}\n")
        own = models[name].__dict__.get("__doc__")
        doc = inspect.cleandoc(own) if own and name != "Scenario" else None
        if doc:
            out.append(doc.split("\n\n")[0].replace("\n", " ") + "\n")
        out.append("| field | type | unit kind | default | meaning |")
        out.append("|:---|:---|:---|:---|:---|")
        for field, prop in spec["properties"].items():
            t = _type_text(prop)
            if "$ref" in prop and prop["$ref"].endswith(("Mode", "NodeKind")):
                t = _enum_text(defs, prop["$ref"].rsplit("/", 1)[-1])
            t = _link_type(t)
            k = kinds.get(field)
            kind = _kind_text(k) if k else ""
            out.append(f"| `{field}` | {t} | {kind} | {_default_text(prop, field in required)}"
                       f" | {_meaning(name, field, prop, missing)} |")
        out.append("")
    if missing:
        raise RuntimeError("fields without a meaning (add a Field description in "
                           "src/titr/model or an entry to MEANINGS in docs/_tools/titr_docs.py): "
                           + ", ".join(missing))
    return "\n".join(out)


def unit_kind_table() -> str:
    """Every kind of figure: its name in figures.py, the units it takes and its sign rule."""
    rows = [{"kind": v["kind"], "name in figures.py": f"`{v['alias']}`",
             "units like": ", ".join(f"`{u}`" for u in v["units"]), "value": v["rule"]}
            for v in unit_kinds().values()]
    return md_table(pd.DataFrame(rows))


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def _param_row(p: Any, ctx: Any) -> dict[str, str]:
    if p.param_type_name == "argument":
        name = f"`{(p.metavar or p.name).upper()}`"
        kind = "argument"
    else:
        names = list(p.opts) + list(p.secondary_opts)
        name = ", ".join(f"`{n}`" for n in names)
        kind = "flag" if p.is_flag else "option"
    if getattr(p, "multiple", False):
        kind += ", repeatable"
    ptype = "" if getattr(p, "is_flag", False) else p.display_type(ctx).strip("<>")
    default = p.default
    if p.required:
        dtext = "**required**"
    elif default is None or callable(default) or (isinstance(default, list | tuple)
                                                  and not default):
        dtext = "–"
    else:
        dtext = f"`{str(default).lower() if isinstance(default, bool) else default}`"
    help_text = (getattr(p, "help", None) or "").replace("\n", " ")
    return {"name": name, "kind": kind, "type": ptype, "default": dtext,
            "help": help_text}


def _context(cmd: Any, name: str) -> Any:
    # Typer ships its own copy of click: make the context of the command's own click
    return cmd.context_class(cmd, info_name=name)


def _commands(cmd: Any, path: list[str]) -> Iterable[tuple[list[str], Any]]:
    yield path, cmd
    if hasattr(cmd, "list_commands"):
        ctx = _context(cmd, " ".join(path))
        for name in cmd.list_commands(ctx):
            yield from _commands(cmd.get_command(ctx, name), [*path, name])


def cli_reference() -> str:
    """Every titr command: usage, what it does, and its options (Markdown)."""
    import typer

    from titr.cli.main import app

    root = typer.main.get_command(app)
    out: list[str] = []
    for path, cmd in _commands(root, ["titr"]):
        if len(path) == 1:
            continue
        ctx = _context(cmd, " ".join(path))
        usage = " ".join([" ".join(path), *cmd.collect_usage_pieces(ctx)])
        usage = re.sub(r"([{\[])([a-z_]+)([}\]])",
                       lambda m: ("[" if m.group(1) == "[" else "") + m.group(2).upper()
                       + ("]" if m.group(1) == "[" else ""), usage)
        level = "##" if len(path) == 2 else "###"
        out.append(f"{level} `{' '.join(path)}`\n")
        out.append(inspect.cleandoc(cmd.help or "") + "\n")
        out.append(f"```text\n{usage}\n```\n")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            out.append(md_table(pd.DataFrame([_param_row(p, ctx) for p in params])))
        if hasattr(cmd, "list_commands"):
            out.append("Subcommands: " + ", ".join(
                f"`{' '.join(path)} {n}`" for n in cmd.list_commands(ctx)) + ".\n")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Data and sources of a scenario
# --------------------------------------------------------------------------------------------


def _collection_of(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


def figure_frame(sc: Any) -> pd.DataFrame:
    """One row per figure: path, collection, value, unit, sources, assumption, note."""
    rows = []
    for path, fig in sc.figures():
        rows.append({"path": path, "collection": _collection_of(path), "value": fig.value,
                     "unit": fig.unit, "source": ", ".join(fig.source),
                     "assumption": fig.assumption or "", "note": fig.note or ""})
    return pd.DataFrame(rows)


def source_counts(sc: Any) -> pd.DataFrame:
    """Sources with the figures and projects citing each (as ``titr sources`` counts them)
    and how often the scenario file names the tag anywhere (comments and notes included)."""
    from titr.assign.scenario_tables import source_rows

    text = Path(sc.path).read_text(encoding="utf-8") if sc.path else ""
    rows = [{"id": r["id"], "figures": r["figures"],
             "mentions": len(re.findall(rf"(?<![A-Za-z0-9_]){re.escape(r['id'])}"
                                        r"(?![A-Za-z0-9_])", text)),
             "publisher": r["publisher"], "date": r["date"], "title": r["title"]}
            for r in source_rows(sc)]
    return pd.DataFrame(rows).sort_values(["figures", "mentions", "id"],
                                          ascending=[False, False, True], kind="stable")


def assumptions(sc: Any) -> pd.DataFrame:
    """Figures with no source, each with its reason."""
    figs = figure_frame(sc)
    a = figs[figs.source == ""]
    return a[["path", "value", "unit", "assumption"]].reset_index(drop=True)


def disagreements(sc: Any) -> pd.DataFrame:
    """Sourced figures with a note (where sources disagree or a figure is derived)."""
    figs = figure_frame(sc)
    d = figs[(figs.note != "") & (figs.source != "")]
    return d[["path", "value", "unit", "source", "note"]].reset_index(drop=True)


def grouped_notes(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """Figures that share one note (or one assumption) as one row: how many, the first
    figure's path, the values and units, and the sources."""
    rows = []
    for note, g in df.groupby(text, sort=False):
        values = sorted({f"{v:g} {u}" for v, u in zip(g.value, g.unit, strict=True)})
        row = {"figures": len(g), "first figure": g.path.iloc[0],
               "value": values[0] if len(values) == 1 else f"{len(values)} values",
               text: note}
        if "source" in g:
            row["source"] = ", ".join(sorted({t.strip() for s in g.source
                                              for t in s.split(",")}))
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Parts of an example file
# --------------------------------------------------------------------------------------------


def toml_part(path: str, part: str) -> str:
    """The lines of ``path`` between the marker ``# --- part ---`` and the next marker, as a
    fenced TOML block (so the guide quotes the shipped file, never a copy)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    marker = f"# --- {part} ---"
    if marker not in lines:
        raise KeyError(f"{path} has no marker {marker!r}")
    start = lines.index(marker) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("# --- ")),
               len(lines))
    body = "\n".join(lines[start:end]).strip("\n")
    return f"```toml\n{body}\n```"


# --------------------------------------------------------------------------------------------
# Result tables
# --------------------------------------------------------------------------------------------

FAMILIES = {
    "assessment": "`titr assess`: the tables of an `AssessmentResult` and of its DuckDB file",
    "routes": "`titr routes` and `titr.routes`",
    "projects": "`titr projects`",
    "backtest": "`titr backtest`",
    "simulation": "`titr simulate`: the tables of a `SimResult`",
    "closure": "`titr closure`",
    "sweep": "`titr sweep`: the tables of its DuckDB file or Parquet folder, and its summaries",
    "results": "extra tables of a results file (read by `titr report` and `titr export`)",
}


def results_reference() -> str:
    """Every registered result table (``titr.model.columns.REGISTRY``): what a row is, and
    each column's name, type, unit and meaning."""
    from titr.model.columns import REGISTRY

    order = list(FAMILIES)
    specs = sorted(REGISTRY.values(),
                   key=lambda t: order.index(t.family) if t.family in order else len(order))
    out, family = [], None
    for t in specs:
        if t.family != family:
            family = t.family
            out.append(f"## {family}\n\n{FAMILIES.get(family, '')}\n")
        out.append(f"### `{t.key}`\n\nOne row: {t.row}.\n")
        out.append(md_table(t.reference()))
    return "\n".join(out)
