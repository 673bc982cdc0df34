"""Whole-scenario checks: ids that must exist and be unique, sources that must resolve, units
that must fit their cargo class, projects inside the horizon, and demand with a path."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from titr.model import cargo as cargo_units
from titr.model import units
from titr.model.errors import Problem, TitrError
from titr.model.figures import Figure
from titr.model.network import Network
from titr.model.scenario import COLLECTIONS, Scenario

_PLACES = ("nodes", "links", "sea_services", "fleets")
Report = Callable[[str, str, str], None]  # (where, what, fix)


def check(sc: Scenario) -> list[Problem]:
    """Every problem found; an empty list means the scenario is sound."""
    out: list[Problem] = []

    def bad(where: str, what: str, fix: str) -> None:
        out.append(Problem(sc.path, where, what, fix))

    _unique_ids(sc, bad)
    _references(sc, bad)
    _study(sc, bad)
    _sources(sc, bad)
    _cargo_units(sc, bad)
    for p in sc.projects:
        if not sc.first_year <= p.year <= sc.last_year:
            bad(f"projects[{p.id}].year", f"year {p.year} is outside the scenario's horizon "
                f"{sc.first_year}–{sc.last_year}", "change the year or the horizon")
    if out:
        return out
    try:
        # every year a project opens or an event starts or ends: a change may be valid at the
        # end but not on the way
        event_years = {y for e in sc.events for y in (e.start, (e.last_year or e.start) + 1)}
        nets = [sc.network(year) for year in sorted(
            {sc.first_year} | {p.year for p in sc.projects} |
            {y for y in event_years if y in sc.years})]
        last = sc.network(sc.last_year)
    except TitrError as e:
        return e.problems
    seen: set[str] = set()

    def once(where: str, what: str, fix: str) -> None:  # the first year a field is wrong
        if where not in seen:
            seen.add(where)
            bad(where, what, fix)

    for net in nets:
        _node_charges(net, once)
        _gauges(net, once)
    if out:
        return out
    _demand_paths(sc, last, bad)
    return out


def _unique_ids(sc: Scenario, bad: Report) -> None:
    seen: dict[str, str] = {}
    for coll in ("nodes", "links", "sea_services", "fleets", "weather", "cargo", "corridors",
                 "corridor_groups", "demand", "projects", "events"):
        local: set[str] = set()
        for it in sc.items(coll):
            if it.id in local:
                bad(f"{coll}[{it.id}]", f"id {it.id!r} is used twice in {coll}",
                    "give each item its own id")
            local.add(it.id)
            if coll in _PLACES:
                if it.id in seen and seen[it.id] != coll:
                    bad(f"{coll}[{it.id}]", f"id {it.id!r} is also used in {seen[it.id]}",
                        "ids of nodes, links, sea services and fleets must differ")
                seen.setdefault(it.id, coll)
    sources = [s.id for s in sc.sources]
    for s in {s for s in sources if sources.count(s) > 1}:
        bad(f"sources[{s}]", f"source id {s!r} is used twice", "give each source its own id")


def _added(sc: Scenario, coll: str) -> set[str]:
    changes = [c for p in sc.projects for c in p.changes] + \
        [c for e in sc.events for c in e.changes]
    return {str((c.item or {}).get("id")) for c in changes
            if c.op == "add" and c.collection == coll}


def _references(sc: Scenario, bad: Report) -> None:
    nodes = {n.id for n in sc.nodes} | _added(sc, "nodes")
    services = {s.id for s in sc.sea_services} | _added(sc, "sea_services")
    weather = {w.id for w in sc.weather}
    cargo = {c.id for c in sc.cargo}
    places = nodes | services | {x.id for x in sc.links} | _added(sc, "links")
    corridors = {c.id for c in sc.corridors}

    def need(where: str, value: str | None, pool: set[str], what: str) -> None:
        if value is not None and value not in pool:
            near = ", ".join(sorted(pool)[:10])
            bad(where, f"unknown {what} {value!r}", f"use an existing {what} id ({near} …)")

    for link in sc.links:
        need(f"links[{link.id}].from", link.from_, nodes, "node")
        need(f"links[{link.id}].to", link.to, nodes, "node")
        for c in [*link.cargo, *link.tariffs]:
            if c != "*":
                need(f"links[{link.id}].cargo", c, cargo, "cargo class")
    for n in sc.nodes:
        need(f"nodes[{n.id}].weather", n.weather, weather, "weather area")
        for h in n.handling:
            for c in h.cargo:
                if c != "*":
                    need(f"nodes[{n.id}].handling[{h.id}].cargo", c, cargo, "cargo class")
    for s in sc.sea_services:
        need(f"sea_services[{s.id}].from", s.from_, nodes, "node")
        need(f"sea_services[{s.id}].to", s.to, nodes, "node")
        need(f"sea_services[{s.id}].weather", s.weather, weather, "weather area")
        for c in [*s.cargo, *s.tariffs]:
            need(f"sea_services[{s.id}].cargo", c, cargo, "cargo class")
    for f in sc.fleets:
        need(f"fleets[{f.id}].service", f.service, services, "sea service")
    for d in sc.demand:
        need(f"demand[{d.id}].origin", d.origin, nodes, "node")
        need(f"demand[{d.id}].destination", d.destination, nodes, "node")
        need(f"demand[{d.id}].cargo", d.cargo, cargo, "cargo class")
        groups = {c.group for c in sc.corridors}
        need(f"demand[{d.id}].corridor", d.corridor, corridors | groups, "corridor or group")
        if d.priority and d.kind != "captive":
            bad(f"demand[{d.id}].priority", "only captive cargo can go ahead of the rest",
                "make it kind = \"captive\" with its corridor, or drop priority")
        if d.kind == "captive" and d.corridor is None:
            bad(f"demand[{d.id}].corridor", "captive demand names no corridor",
                "add corridor = \"<corridor id>\" or make it contestable")
    described = {g.id for g in sc.corridor_groups}
    for corridor in sc.corridors:
        for v in corridor.via:
            need(f"corridors[{corridor.id}].via", v, places, "node, link or sea service")
        if described:
            need(f"corridors[{corridor.id}].group", corridor.group, described, "corridor group")
    for e in sc.events:
        if not sc.first_year <= e.start <= sc.last_year:
            bad(f"events[{e.id}].start", f"start {e.start} is outside the scenario's horizon "
                f"{sc.first_year}–{sc.last_year}", "change the start or the horizon")


def _study(sc: Scenario, bad: Report) -> None:
    """The study block names a corridor group, arcs, nodes and figures that exist."""
    if sc.study is None:
        return
    st = sc.study
    groups = {g.id for g in sc.corridor_groups} | {c.group for c in sc.corridors}
    if st.focus_group not in groups:
        bad("study.focus_group", f"unknown corridor group {st.focus_group!r}",
            f"use a group of [[corridors]]: {', '.join(sorted(groups)) or 'none yet'}")
    arcs = ({x.id for x in sc.links} | _added(sc, "links") |
            {s.id for s in sc.sea_services} | _added(sc, "sea_services"))
    for i, arc in enumerate(st.focus):
        if arc not in arcs:
            bad(f"study.focus[{i}]", f"unknown link or sea service {arc!r}",
                "name links or sea services whose volume is the headline")
    nodes = {n.id for n in sc.nodes} | _added(sc, "nodes")
    for field in ("default_origin", "default_destination"):
        node = getattr(st, field)
        if node is not None and node not in nodes:
            bad(f"study.{field}", f"unknown node {node!r}",
                "use a node id (`titr show --list nodes` lists them) or leave the field out")
    for lever in st.levers:
        _lever_path(sc, lever.key, lever.path, bad)


def _lever_path(sc: Scenario, key: str, path: str, bad: Report) -> None:
    where = f"study.levers[{key}].path"
    parts = path.split(".")
    fix = "write collection.id.field, e.g. fleets.<fleet id>.vessels"
    if len(parts) < 2 or parts[0] not in (*COLLECTIONS, "parameters"):
        bad(where, f"{path!r} does not name a collection", fix)
        return
    if parts[0] == "parameters":
        if parts[1] not in type(sc.parameters).model_fields:
            bad(where, f"no parameter {parts[1]!r}",
                f"use one of: {', '.join(type(sc.parameters).model_fields)}")
        return
    ids = {it.id for it in sc.items(parts[0])} | _added(sc, parts[0])
    if len(parts) < 3 or parts[1] not in ids:
        bad(where, f"{path!r} names no existing item and field", fix)


def _sources(sc: Scenario, bad: Report) -> None:
    known = {s.id for s in sc.sources}
    hint = "add it to [[sources]] (id, title, publisher, date, url) or use a listed tag"
    for where, fig in sc.figures():
        for tag in fig.source:
            if tag not in known:
                bad(where, f"source {tag!r} is not in the scenario's sources", hint)
    for coll, items in (("projects", sc.projects), ("events", sc.events)):
        for p in items:
            for tag in p.source:
                if tag not in known:
                    bad(f"{coll}[{p.id}].source", f"source {tag!r} is not in the sources",
                        hint)
            if not p.source and not p.assumption:
                bad(f"{coll}[{p.id}]", f"{coll[:-1]} has no source",
                    "add source = \"TAG\" or assumption = \"why\"")
    for w in sc.weather:
        if w.ice is not None:
            for tag in w.ice.source:
                if tag not in known:
                    bad(f"weather[{w.id}].ice.source", f"source {tag!r} is not in the sources",
                        hint)
            if not w.ice.source and not w.ice.assumption:
                bad(f"weather[{w.id}].ice", "ice season has no source",
                    "add source = \"TAG\" or assumption = \"why\"")


def _cargo_units(sc: Scenario, bad: Report) -> None:
    classes = {c.id: c for c in sc.cargo}

    def fits(where: str, fig: Figure | None, cargo_ids: Iterable[str]) -> None:
        if fig is None:
            return
        ids = list(classes) if "*" in cargo_ids else [c for c in cargo_ids if c in classes]
        for cid in ids:
            if not cargo_units.convertible(classes[cid], fig.unit):
                missing = units.parse(fig.unit).counters() - set(classes[cid].per)
                bad(where, f"unit {fig.unit!r} does not fit cargo class {cid!r}, which has no "
                    f"conversion for {', '.join(sorted(missing))}",
                    f"give the figure in t (e.g. {_as_tonnes(fig.unit)}) or add "
                    f"per.{sorted(missing)[0]} to cargo class {cid!r}")
                return

    for c in sc.cargo:
        for key, conv in c.per.items():
            want = "bbl/t" if key == "bbl" else f"t/{key}"
            if not units.fits(conv.unit, want):
                bad(f"cargo[{c.id}].per.{key}", f"unit {conv.unit!r} does not fit", f"use {want}")
    for n in sc.nodes:
        for h in n.handling:
            fits(f"nodes[{n.id}].handling[{h.id}].capacity", h.capacity, h.cargo)
    for link in sc.links:
        fits(f"links[{link.id}].capacity", link.capacity, link.cargo)
        fits(f"links[{link.id}].tariff", link.tariff, link.cargo)
        for cid, t in link.tariffs.items():
            fits(f"links[{link.id}].tariffs.{cid}", t, [cid])
    for s in sc.sea_services:
        fits(f"sea_services[{s.id}].tariff", s.tariff, s.cargo)
    services = {s.id: s for s in sc.sea_services}
    for f in sc.fleets:
        service = services.get(f.service)
        for cid in service.cargo if service else []:
            if cid in classes and not any(cargo_units.convertible(classes[cid], cap.unit)
                                          for cap in f.capacity):
                bad(f"fleets[{f.id}].capacity", f"no load per sailing fits cargo class {cid!r}",
                    "add an alternative in t, or a unit the cargo class converts")
    for d in sc.demand:
        for p in d.volume:
            if d.cargo in classes:
                fits(f"demand[{d.id}].volume[{p.year}]", p, [d.cargo])


def _node_charges(net: Network, bad: Report) -> None:
    """Charges at a node are paid by every cargo class passing it, so each class must convert
    their unit; a capacity must apply to at least one class (else it binds nothing)."""
    when = f" (as of {net.year})"
    for n in net.nodes.values():
        costs = [("handling_cost", n.handling_cost)]
        caps = []
        if n.border is not None:
            costs.append(("border.cost", n.border.cost))
            caps.append(("border.capacity", n.border.capacity))
        if n.gauge_change is not None:
            costs.append(("gauge_change.cost", n.gauge_change.cost))
            caps.append(("gauge_change.capacity", n.gauge_change.capacity))
        for field, fig in costs:
            if fig is None:
                continue
            for c in net.cargo.values():
                if not cargo_units.convertible(c, fig.unit):
                    bad(f"nodes[{n.id}].{field}", f"unit {fig.unit!r} does not fit cargo class "
                        f"{c.id!r}, which passes this node{when}",
                        f"give it per tonne (e.g. USD/t) or add the conversion to cargo "
                        f"class {c.id!r}")
                    break
        for field, fig in caps:
            if fig is not None and not any(cargo_units.convertible(c, fig.unit)
                                           for c in net.cargo.values()):
                bad(f"nodes[{n.id}].{field}", f"unit {fig.unit!r} fits no cargo class, so the "
                    f"capacity would bind nothing{when}",
                    "give it in tonnes (e.g. Mt/yr) or add the conversion to a cargo class")


def _gauges(net: Network, bad: Report) -> None:
    """Rail of 1435 mm and of 1520 mm meet only where a gauge change is."""
    met: dict[str, set[int]] = {}
    for link in net.links.values():
        if link.gauge is not None:
            for end in (link.from_, link.to):
                met.setdefault(end, set()).add(link.gauge)
    for node_id, gauges in sorted(met.items()):
        node = net.nodes.get(node_id)
        if len(gauges) > 1 and node is not None and node.gauge_change is None:
            bad(f"nodes[{node_id}].gauge_change", f"links of 1435 mm and 1520 mm meet here with "
                f"no gauge change (as of {net.year})",
                "add a gauge_change to the node, or correct the links' gauge")


def _as_tonnes(unit: str) -> str:
    return "/".join("t" if part in units.CARGO_COUNTERS or part == "FEU" else part
                    for part in unit.split("/"))


def _demand_paths(sc: Scenario, net: Network, bad: Report) -> None:
    adj: dict[str, set[str]] = {n: set() for n in net.nodes}
    for link in net.links.values():
        adj[link.from_].add(link.to)
        if link.bidirectional:
            adj[link.to].add(link.from_)
    for s in net.services.values():
        if net.fleets_of(s.id):
            adj[s.from_].add(s.to)
            if s.bidirectional:
                adj[s.to].add(s.from_)
    for d in sc.demand:
        if d.origin not in adj or d.destination not in adj:
            continue
        seen, todo = {d.origin}, deque([d.origin])
        while todo:
            for nxt in adj[todo.popleft()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        if d.destination not in seen:
            bad(f"demand[{d.id}]", f"no path from {d.origin!r} to {d.destination!r} as of "
                f"{net.year}", "add the missing link or sea service, or drop this demand")
