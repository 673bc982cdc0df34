"""The page's levers, turned into a scenario: ``--set`` overrides plus one "what-if" project.

Parameters (storm days, market size, carbon price) are plain overrides and hold every year.
Structural levers (Kazakh ferries, Aktau's container capacity, a closed corridor) are changes
of a what-if project that opens in the what-if year; it replaces what the scenario's own
projects would do to the same fields after that year (a planned "two more ferries in 2027"
no longer adds to a fleet the user has fixed). Years before keep the observed history, so the
calibration still holds.

A closed corridor loses its aggregate links (those named in its ``via`` or touching a node
named there) from the what-if year: shippers then choose among the corridors still open. This
is cleaner than a near-zero capacity, which would leave the route in the choice model and
push its cargo to a fallback inside the LP.
"""

from __future__ import annotations

from typing import Any

from titr.model.errors import Problem, TitrError
from titr.model.loader import validate_raw
from titr.model.overrides import apply_to_raw
from titr.model.scenario import Scenario
from titr.web.schemas import LeverInfo, LeverOption, Levers

DEFAULT_FROM_YEAR = 2026
FERRY_FLEET = "kz-ferries"
PORT = ("aktau", "containers")
STORM_AREA = "caspian"
NOTE = "set on the titr web page (what-if lever)"
PARAMETER_PATHS = {
    "storm_events": f"weather.{STORM_AREA}.storms.events_per_year",
    "market_factor": "parameters.market_scale",
    "co2_price": "parameters.co2_price",
}
FERRY_PATH = f"fleets.{FERRY_FLEET}.vessels"
PORT_PATH = f"nodes.{PORT[0]}.handling.{PORT[1]}.capacity"


def default_from_year(sc: Scenario) -> int:
    return min(max(DEFAULT_FROM_YEAR, sc.first_year), sc.last_year)


def _bad(field: str, what: str, fix: str) -> TitrError:
    return TitrError(Problem("", f"levers.{field}", what, fix))


def _fleet_year(sc: Scenario) -> int | None:
    """The first year the Kazakh ferry fleet exists (base item, or added by a project)."""
    if any(f.id == FERRY_FLEET for f in sc.fleets):
        return sc.first_year
    years = [p.year for p in sc.projects for c in p.changes
             if c.op == "add" and c.collection == "fleets" and (c.item or {}).get("id") ==
             FERRY_FLEET]
    return min(years) if years else None


def closable(sc: Scenario, year: int) -> dict[str, list[str]]:
    """Competing (non-middle) corridors with the links a closure in ``year`` would remove."""
    net = sc.network(year)
    out = {}
    for c in sc.corridors:
        if c.group == "middle":
            continue
        links = sorted({lid for lid, link in net.links.items()
                        if lid in c.via or link.from_ in c.via or link.to in c.via})
        if links:
            out[c.id] = links
    return out


def _change(target: str, value: float, unit: str) -> dict[str, Any]:
    return {"op": "set", "target": target,
            "value": {"value": float(value), "unit": unit, "assumption": NOTE}}


def _touches(change: dict[str, Any], targets: list[str]) -> bool:
    t = str(change.get("target") or "")
    return any(t == x or t.startswith(x + ".") for x in targets)


def apply_levers(sc: Scenario, levers: Levers) -> Scenario:
    """The scenario with the levers applied; :class:`TitrError` names the lever at fault."""
    given = levers.given()
    given.pop("from_year", None)
    if not given:
        return sc
    year = levers.from_year if levers.from_year is not None else default_from_year(sc)
    if year not in sc.years:
        raise _bad("from_year", f"{year} is outside the scenario's horizon",
                   f"use a year from {sc.first_year} to {sc.last_year}")
    overrides = {PARAMETER_PATHS[k]: v for k, v in given.items() if k in PARAMETER_PATHS}
    if levers.market_factor is not None:
        overrides[PARAMETER_PATHS["market_factor"]] = (
            levers.market_factor * _value(sc.parameters.market_scale))
    if "storm_events" in given and not any(w.id == STORM_AREA and w.storms for w in sc.weather):
        raise _bad("storm_events", f"scenario {sc.id} has no storms in {STORM_AREA!r}",
                   "leave this lever out")
    changes: dict[int, list[dict[str, Any]]] = {}
    if levers.kz_ferries is not None:
        first = _fleet_year(sc)
        if first is None:
            raise _bad("kz_ferries", f"scenario {sc.id} has no fleet {FERRY_FLEET!r}",
                       "leave this lever out")
        changes.setdefault(max(year, first), []).append(
            _change(FERRY_PATH, levers.kz_ferries, "vessels"))
    if levers.aktau_container_teu is not None:
        node = sc.network(year).nodes.get(PORT[0])
        if node is None or not any(h.id == PORT[1] for h in node.handling):
            raise _bad("aktau_container_teu", f"scenario {sc.id} has no {PORT[1]} handling "
                       f"at {PORT[0]} in {year}", "leave this lever out")
        changes.setdefault(year, []).append(
            _change(PORT_PATH, levers.aktau_container_teu, "TEU/yr"))
    if levers.closed_corridor is not None:
        options = closable(sc, year)
        links = options.get(levers.closed_corridor)
        if links is None:
            raise _bad("closed_corridor", f"no competing corridor {levers.closed_corridor!r} "
                       f"is open in {year}",
                       f"use one of: {', '.join(options) or 'none'} (or another year)")
        changes.setdefault(year, []).extend(
            {"op": "remove", "target": f"links.{lid}"} for lid in links)
    raw = sc.model_dump(by_alias=True, exclude_none=True)
    apply_to_raw(raw, overrides)
    for y, cs in sorted(changes.items()):
        targets = [str(c["target"]) for c in cs]
        for p in raw["projects"]:
            if p["year"] > y:
                p["changes"] = [c for c in p["changes"] if not _touches(c, targets)]
        raw["events"] = [part for e in raw.get("events", []) for part in
                         _events_without(e, y, targets)]
        raw["projects"].append({"id": f"what-if-{y}", "name": f"What-if levers from {y}",
                                "year": y, "status": "announced", "assumption": NOTE,
                                "description": "; ".join(_describe(c) for c in cs),
                                "changes": cs})
    return validate_raw(raw, sc.path)


def _events_without(event: dict[str, Any], year: int,
                    targets: list[str]) -> list[dict[str, Any]]:
    """An event whose changes the levers override from ``year`` on (events apply after
    projects): before ``year`` as it was, from ``year`` without those changes."""
    kept = [c for c in event["changes"] if not _touches(c, targets)]
    duration = event.get("duration")
    last = event.get("end", event["start"] + duration["mode"] - 1 if duration else None)
    if len(kept) == len(event["changes"]) or (last is not None and last < year):
        return [event]
    base = {k: v for k, v in event.items() if k != "duration"}
    after = {**base, "start": max(year, event["start"]), "changes": kept,
             **({"end": last} if last is not None else {})}
    if event["start"] >= year:
        return [after]
    return [{**base, "end": year - 1}, {**after, "id": f"{event['id']}-from-{year}"}]


def _describe(change: dict[str, Any]) -> str:
    if change["op"] == "remove":
        return f"close {change['target']}"
    v = change["value"]
    return f"{change['target']} = {v['value']:g} {v['unit']}"


def _value(fig: Any, unit: str | None = None) -> float:
    return float(fig.to(unit) if unit else fig.value)


def catalog(sc: Scenario) -> list[LeverInfo]:
    """The levers this scenario offers, with its own values in the default what-if year."""
    year = default_from_year(sc)
    net, last = sc.network(year), sc.network(sc.last_year)
    out: list[LeverInfo] = []
    first = _fleet_year(sc)
    if first is not None:
        now = net.fleets.get(FERRY_FLEET)
        later = last.fleets.get(FERRY_FLEET)
        out.append(LeverInfo(
            key="kz_ferries", label="Kazakh rail ferries (Kuryk–Alat)", unit="vessels",
            min=0, max=20, step=1, base=_value(now.vessels) if now else 0.0,
            planned=f"{_value(later.vessels):g} by {sc.last_year}, first from {first}"
            if later else "", applies=f"from the what-if year (not before {first})",
            target=FERRY_PATH))
    node = net.nodes.get(PORT[0])
    hub = next((h for h in node.handling if h.id == PORT[1]), None) if node else None
    if hub is not None:
        end = next((h for h in last.nodes[PORT[0]].handling if h.id == PORT[1]), hub)
        out.append(LeverInfo(
            key="aktau_container_teu", label="Aktau container hub capacity", unit="TEU/yr",
            min=0, max=500_000, step=10_000, base=_value(hub.capacity, "TEU/yr"),
            planned=f"{_value(end.capacity, 'TEU/yr'):,.0f} TEU/yr by {sc.last_year}",
            applies="from the what-if year", target=PORT_PATH))
    area = next((w for w in sc.weather if w.id == STORM_AREA and w.storms), None)
    if area is not None and area.storms is not None:
        days = _value(area.storms.mean_duration, "d")
        out.append(LeverInfo(
            key="storm_events", label="Caspian storm closures", unit="per year", min=0,
            max=15, step=0.5, base=_value(area.storms.events_per_year),
            planned=f"each closes the ports for ~{days:g} days", applies="every year",
            target=PARAMETER_PATHS["storm_events"]))
    p = sc.parameters
    out.append(LeverInfo(
        key="market_factor", label="China–Europe market size", unit="× scenario", min=0.25,
        max=3, step=0.05, base=1.0, planned=f"calibrated scale {_value(p.market_scale):g}",
        applies="every year", target=PARAMETER_PATHS["market_factor"]))
    out.append(LeverInfo(
        key="co2_price", label="Carbon price", unit="USD/tCO₂", min=0, max=300, step=10,
        base=_value(p.co2_price), applies="every year", target=PARAMETER_PATHS["co2_price"]))
    names = {c.id: c.name or c.id for c in sc.corridors}
    out.append(LeverInfo(
        key="closed_corridor", label="Closed corridor", unit="", applies="from the what-if "
        "year", target="links (removed)", options=[LeverOption(id=c, name=names[c])
                                                   for c in closable(sc, year)]))
    return out
