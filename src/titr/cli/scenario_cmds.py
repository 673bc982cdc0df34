"""Commands about the scenario itself: validate, schema, sources, show, routes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from titr.cli.common import (
    console,
    frame_records,
    friendly,
    one_year,
    print_json,
    print_table,
    scenario_from,
)
from titr.model.atomic_files import write_text_atomic
from titr.model.errors import fail
from titr.model.files import writable_file

if TYPE_CHECKING:  # the heavy layers load inside the commands, so `titr --help` starts fast
    import pandas as pd

    from titr.model.network import Network
    from titr.model.scenario import Scenario

ScenarioOpt = Annotated[str | None, typer.Option("--scenario", "-s",
                                                 help="built-in name or TOML file")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="override, e.g. "
                                                  "fleets.<fleet id>.vessels=10")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@friendly
def validate(file: Annotated[str, typer.Argument(help="scenario TOML file or built-in name")]
             ) -> None:
    """Check a scenario file; print every problem with its place and fix (exit code 2)."""
    from titr.model import load

    sc = load(file)
    console.print(f"ok: {sc.id} — {len(sc.nodes)} nodes, {len(sc.links)} links, "
                  f"{len(sc.sea_services)} sea services, {len(sc.fleets)} fleets, "
                  f"{len(sc.projects)} projects, {len(sc.demand)} demand items, "
                  f"{sum(1 for _ in sc.figures())} figures")


@friendly
def schema(out: Annotated[Path | None, typer.Option("--out", "-o", help="write to file")] = None
           ) -> None:
    """Write the JSON Schema of scenario files (for editors)."""
    from titr.model.scenario import Scenario

    if out:
        writable_file(out, "--out", "scenario.schema.json")
    text = json.dumps(Scenario.model_json_schema(by_alias=True), indent=2)
    if out:
        write_text_atomic(out, text + "\n")
        console.print(f"wrote {out}")
    else:
        console.print_json(text)


def source_usage(sc: Scenario) -> pd.DataFrame:
    import pandas as pd

    from titr.assign import scenario_tables

    rows = scenario_tables.source_rows(sc)
    assumptions = sum(1 for _, fig in sc.figures() if not fig.source)
    rows.append({"id": "(assumption)", "figures": assumptions, "publisher": "", "date": "",
                 "title": "figures marked as assumptions, each with its reason", "url": ""})
    return pd.DataFrame(rows).sort_values("figures", ascending=False, kind="stable")


@friendly
def sources(scenario: Annotated[str | None, typer.Argument(help="scenario")] = None,
            as_json: JsonOpt = False) -> None:
    """List the scenario's sources and how many figures use each."""
    sc = scenario_from(scenario)
    df = source_usage(sc)
    if as_json:
        print_json(frame_records(df))
    else:
        print_table(df[["id", "figures", "publisher", "date", "title"]],
                    title=f"Sources of {sc.id}")


@friendly
def show(scenario: Annotated[str | None, typer.Argument(help="scenario")] = None,
         year: Annotated[int | None, typer.Option(help="as of this year")] = None,
         listing: Annotated[str | None, typer.Option(
             "--list", help="list the ids of one collection: " + ", ".join(LISTABLE))] = None,
         overrides: SetOpt = None, as_json: JsonOpt = False) -> None:
    """Summarise the network as of a year: nodes, links, sea services and their capacity;
    ``--list nodes`` (links, sea_services …) lists the ids to use in files and options."""
    import pandas as pd

    from titr.model.capacity import fleet_capacity, service_tonnes
    from titr.model.demand import demand_rows

    if listing is not None and listing not in LISTABLE:
        raise fail(f"cannot list {listing!r}", where="--list",
                   fix=f"use one of: {', '.join(LISTABLE)}")
    sc = scenario_from(scenario, overrides)
    year = sc.first_year if year is None else one_year(year, sc)
    net = sc.network(year)
    if listing is not None:
        rows = _listing(sc, net, listing)
        if as_json:
            print_json({"scenario": sc.id, "year": year, listing: rows})
        else:
            print_table(pd.DataFrame(rows), title=f"{listing} of {sc.id} as of {year}")
        return
    services: list[dict[str, Any]] = []
    for s in net.services.values():
        fleets = net.fleets_of(s.id)
        caps = [fleet_capacity(net, f) for f in fleets]
        services.append({
            "service": s.id, "kind": s.kind, "from": s.from_, "to": s.to,
            "vessels": sum(c.vessels for c in caps),
            "sailings_per_year": sum(c.sailings_per_year for c in caps),
            "capacity_mt_per_year": {c: service_tonnes(net, s.id, c) / 1e6 for c in s.cargo},
        })
    demand = [{"id": d.id, "cargo": d.cargo, "kind": d.kind, "mt": d.tonnes / 1e6,
               "units": d.units, "unit": d.unit}
              for d in demand_rows(sc.demand, net.cargo, year)]
    summary: dict[str, Any] = {
        "scenario": sc.id, "year": year,
        "nodes": dict(Counter(n.kind.value for n in net.nodes.values())),
        "links_km": {m: sum(x.distance.to("km") for x in net.links.values() if x.mode == m)
                     for m in sorted({x.mode.value for x in net.links.values()})},
        "projects_open": list(net.projects_open),
        "sea_services": services, "demand": demand,
    }
    if as_json:
        print_json(summary)
        return
    console.print(f"[bold]{sc.name}[/] ({sc.id}) as of {year}")
    console.print("nodes: " + ", ".join(f"{k} {v}" for k, v in summary["nodes"].items()))
    console.print("links: " + ", ".join(f"{m} {km:,.0f} km" for m, km in
                                        summary["links_km"].items()))
    console.print(f"projects open: {len(net.projects_open)} of {len(sc.projects)}")
    svc = pd.DataFrame([{**{k: v for k, v in s.items() if k != "capacity_mt_per_year"},
                         "capacity_mt_per_year (if one class)": ", ".join(
                             f"{c} {v:.2f}" for c, v in s["capacity_mt_per_year"].items())}
                        for s in services])
    print_table(svc, title="Sea services (capacity derived from the fleets)")
    print_table(pd.DataFrame(demand), title=f"Demand in {year}", formats={"mt": ".3f"})


LISTABLE = ("nodes", "links", "sea_services", "fleets", "corridors", "demand", "projects",
            "events")


def _listing(sc: Scenario, net: Network, what: str) -> list[dict[str, Any]]:
    """The ids of one collection as of the network's year, with what tells them apart."""
    if what == "nodes":
        return [{"id": n.id, "name": n.name, "kind": n.kind.value, "country": n.country}
                for n in net.nodes.values()]
    if what == "links":
        return [{"id": x.id, "from": x.from_, "to": x.to, "mode": x.mode.value,
                 "km": x.distance.to("km")} for x in net.links.values()]
    if what == "sea_services":
        return [{"id": x.id, "from": x.from_, "to": x.to, "kind": x.kind}
                for x in net.services.values()]
    if what == "fleets":
        return [{"id": f.id, "service": f.service, "vessels": f.vessels.value}
                for f in net.fleets.values()]
    if what == "corridors":
        return [{"id": c.id, "name": c.name, "group": c.group, "via": ", ".join(c.via)}
                for c in net.corridors.values()]
    if what == "demand":
        return [{"id": d.id, "from": d.origin, "to": d.destination, "cargo": d.cargo,
                 "kind": d.kind} for d in sc.demand]
    if what == "projects":
        return [{"id": p.id, "year": p.year, "open": p.id in net.projects_open,
                 "name": p.name} for p in sc.projects]
    return [{"id": e.id, "start": e.start, "in force": e.id in net.events, "name": e.name}
            for e in sc.events]


@friendly
def routes(origin: Annotated[str | None, typer.Option(
               "--from", help="origin node id (default: the scenario's study)")] = None,
           destination: Annotated[str | None, typer.Option(
               "--to", help="destination node id (default: the scenario's study)")] = None,
           year: Annotated[int | None, typer.Option(help="as of this year")] = None,
           cargo: Annotated[str, typer.Option(help="cargo class")] = "container",
           scenario: ScenarioOpt = None, overrides: SetOpt = None,
           as_json: JsonOpt = False) -> None:
    """Compare the corridors between two places: days, cost per FEU and CO2 per TEU."""
    from titr.routing import scenario_routes

    sc = scenario_from(scenario, overrides)
    origin, destination = sc.route_pair(origin, destination)
    year = sc.first_year if year is None else one_year(year, sc)
    df = scenario_routes(sc, origin, destination, year, cargo)
    if df.empty:
        raise fail(f"no path from {origin!r} to {destination!r} in {year}", where="--to",
                   fix="check the ids with `titr show --list nodes`")
    if as_json:
        print_json({"scenario": sc.id, "year": year, "origin": origin,
                    "destination": destination, "cargo": cargo, "routes": frame_records(df)})
        return
    cols = ["rank", "corridor", "days", "km", "cost_usd_per_feu", "co2_kg_per_teu",
            "generalized_usd_per_t", "via"]
    if df["cost_usd_per_feu"].isna().all():
        cols = ["rank", "corridor", "days", "km", "cost_usd_per_t", "co2_kg_per_t",
                "generalized_usd_per_t", "via"]
    print_table(df[cols], title=f"{origin} → {destination}, {cargo}, {year} ({sc.id})",
                formats={"days": ".1f", "km": ",.0f", "cost_usd_per_feu": ",.0f",
                         "co2_kg_per_teu": ",.0f", "generalized_usd_per_t": ",.1f"})
