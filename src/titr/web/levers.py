"""The page's levers, turned into a scenario: ``--set`` overrides plus one "what-if" project.

Which levers a scenario offers is data: its ``[study]`` block lists them (a path, a unit, a
range; see :class:`titr.model.study.Lever`), besides three that every scenario has — the market
size, the carbon price and a closed competing corridor. Levers that apply "every year" (storms,
prices) are plain overrides. Levers that apply "from the what-if year" (a fleet, a port's
capacity, a closure) are changes of a what-if project that opens in that year; it replaces what
the scenario's own projects would do to the same fields after it (a planned "two more ferries in
2027" no longer adds to a fleet the user has fixed). Years before keep the observed history, so
the calibration still holds.

A closed corridor loses its aggregate links (those named in its ``via`` or touching a node
named there) from the what-if year: shippers then choose among the corridors still open. This
is cleaner than a near-zero capacity, which would leave the route in the choice model and
push its cargo to a fallback inside the LP.
"""

from __future__ import annotations

from typing import Any

from titr.model.errors import Problem, TitrError
from titr.model.figures import Figure
from titr.model.loader import validate_raw
from titr.model.network import Network
from titr.model.overrides import apply_to_raw
from titr.model.scenario import Scenario
from titr.model.study import Lever
from titr.web.schemas import LeverInfo, LeverOption, Levers

DEFAULT_FROM_YEAR = 2026
NOTE = "set on the titr web page (what-if lever)"
PARAMETER_PATHS = {
    "market_factor": "parameters.market_scale",
    "co2_price": "parameters.co2_price",
}
_ON_NETWORK = {"nodes": "nodes", "links": "links", "sea_services": "services",
               "fleets": "fleets", "weather": "weather", "cargo": "cargo"}


def default_from_year(sc: Scenario) -> int:
    return min(max(DEFAULT_FROM_YEAR, sc.first_year), sc.last_year)


def _bad(field: str, what: str, fix: str) -> TitrError:
    return TitrError(Problem("", f"levers.{field}", what, fix))


def figure_at(sc: Scenario, net: Network, path: str) -> Figure | None:
    """The figure a lever's path names, as of a network's year (None: not there that year)."""
    coll, *rest = path.split(".")
    node: Any = sc.parameters if coll == "parameters" else getattr(net, _ON_NETWORK.get(coll, ""),
                                                                   None)
    for part in rest:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            node = next((x for x in node if getattr(x, "id", None) == part), None)
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node if isinstance(node, Figure) else None


def _first_year(sc: Scenario, path: str) -> int | None:
    """The first year the figure exists (an item a project adds exists from its year)."""
    return next((y for y in sc.years if figure_at(sc, sc.network(y), path) is not None), None)


def _study_levers(sc: Scenario) -> dict[str, Lever]:
    return {lv.key: lv for lv in (sc.study.levers if sc.study else [])}


def competing(sc: Scenario) -> list[str]:
    """The corridors a user may close: those not of the focus group."""
    return [c.id for c in sc.corridors if c.group != sc.focus_group]


def offered_levers(sc: Scenario) -> list[Lever]:
    """The scenario's own levers that name a figure of some year (the others are not shown)."""
    return [lv for lv in _study_levers(sc).values() if _first_year(sc, lv.path) is not None]


def closable(sc: Scenario, year: int) -> dict[str, list[str]]:
    """Competing corridors with the links a closure from ``year`` removes: those of the first
    year from ``year`` on in which the corridor has links (an event may have closed it for a
    while). A corridor closed to the end is left out: there is nothing left to close."""
    todo, out = competing(sc), {}
    for y in range(year, sc.last_year + 1):
        net = sc.network(y)
        for c in sc.corridors:
            if c.id in todo and c.id not in out:
                links = sorted({lid for lid, link in net.links.items()
                                if lid in c.via or link.from_ in c.via or link.to in c.via})
                if links:
                    out[c.id] = links
        if len(out) == len(todo):
            break
    return {c: out[c] for c in todo if c in out}


def range_problems(sc: Scenario) -> list[Problem]:
    """Each of the scenario's own levers at either end of its range, from its first year:
    the ends the API offers must be values the scenario can take."""
    out = []
    for lever in offered_levers(sc):
        for end in (lever.min, lever.max):
            try:
                apply_levers(sc, Levers(from_year=sc.first_year, study={lever.key: end}))
            except TitrError as e:
                out.append(Problem(sc.path or sc.id, f"study.levers.{lever.key}", (
                    f"at {end:g} {lever.unit} the scenario is invalid: {e.problems[0].what}"),
                    "narrow the lever's min/max to values the figure can take"))
    return out


def _check_value(lever: Lever, value: float) -> None:
    """The lever's own range (from the scenario's study), with the range in the message."""
    where = f"study.{lever.key}"
    if lever.integer and float(value) != int(value):
        raise _bad(where, f"{value:g} is not a whole number of {lever.unit}",
                   f"give {int(value)} or {int(value) + 1}")
    if not lever.min <= value <= lever.max:
        raise _bad(where, f"{value:g} {lever.unit} is outside {lever.min:g}–{lever.max:g}",
                   f"give a value from {lever.min:g} to {lever.max:g}")


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
    overrides: dict[str, Any] = {}
    if levers.co2_price is not None:
        overrides[PARAMETER_PATHS["co2_price"]] = levers.co2_price
    if levers.market_factor is not None:
        overrides[PARAMETER_PATHS["market_factor"]] = (
            levers.market_factor * _value(sc.parameters.market_scale))
    changes: dict[int, list[dict[str, Any]]] = {}
    offered = _study_levers(sc)
    for key, value in levers.study.items():
        lever = offered.get(key)
        if lever is None:
            raise _bad(f"study.{key}", f"scenario {sc.id} offers no lever {key!r}",
                       f"use one of: {', '.join(offered) or 'none'}")
        _check_value(lever, value)
        if lever.applies == "every-year":
            overrides[lever.path] = f"{value:g} {lever.unit}"
            continue
        first = _first_year(sc, lever.path)
        if first is None:
            raise _bad(f"study.{key}", f"{lever.path} exists in no year of {sc.id}",
                       "leave this lever out")
        changes.setdefault(max(year, first), []).append(_change(lever.path, value, lever.unit))
    if levers.closed_corridor is not None:
        options = competing(sc)
        if levers.closed_corridor not in options:
            raise _bad("closed_corridor", f"{levers.closed_corridor!r} is not a competing "
                       f"corridor of {sc.id}", f"use one of: {', '.join(options) or 'none'}")
        # links an event closes for a while are removed too; none left open: nothing to do
        links = closable(sc, year).get(levers.closed_corridor, [])
        if links:
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
    # items the levers leave alone stay the base's objects: what the assessment derived from
    # them for the base (legs, graphs) is found again by identity
    return validate_raw(raw, sc.path, like=sc)


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
    last = sc.network(sc.last_year)
    out: list[LeverInfo] = []
    for lever in offered_levers(sc):
        first = _first_year(sc, lever.path)
        assert first is not None
        now = figure_at(sc, sc.network(max(year, first)), lever.path)
        later = figure_at(sc, last, lever.path)
        when = (f"from the what-if year (not before {first})" if first > sc.first_year
                else "from the what-if year") if lever.applies == "from-year" else "every year"
        out.append(LeverInfo(
            key=lever.key, label=lever.label, unit=lever.unit, min=lever.min, max=lever.max,
            step=lever.step, integer=lever.integer, study=True,
            base=_value(now, lever.unit) if now is not None else None,
            planned=f"{_value(later, lever.unit):,.6g} {lever.unit} by {sc.last_year}"
            if later is not None else "", applies=when, target=lever.path))
    p = sc.parameters
    out.append(LeverInfo(
        key="market_factor", label="Contestable market size", unit="× scenario", min=0.25,
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
