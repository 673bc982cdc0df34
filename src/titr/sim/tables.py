"""The tables of one replication, from the engine's raw arrays.

Times in tables are hours (``_h``) or days (``_days``) since 1 January 00:00 of the simulated
year, or durations. A unit is *measured* when it entered the network during the measured year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from titr.model.columns import spec
from titr.model.units import HOURS_PER_DAY
from titr.sim.engine import RawReplication
from titr.sim.plan import Plan
from titr.sim.stages import PARTS
from titr.sim.stats import ascending, overlap

UNITS, QUEUES = spec("simulation.units"), spec("simulation.queues")  # in titr.model.columns


@dataclass(frozen=True)
class RouteRows:
    """One route's measured rows (views into the engine's arrays, not copies). A row is a
    train, or on a route whose units left their trains a piece (see :mod:`titr.sim.flows`),
    which the unit table lists unit by unit."""

    first: np.ndarray  # the row's index within its route (a piece: of its first unit)
    units: np.ndarray  # how many units the row stands for
    enter: np.ndarray
    total: np.ndarray  # door to door, inf when not done
    parts: dict[str, np.ndarray]
    pieces: bool


@dataclass(frozen=True)
class Measured:
    """The rows of one replication's measured units (those that entered during the measured
    year), route by route (computed once; the unit table and both flow summaries read it)."""

    routes: list[RouteRows]

    @classmethod
    def of(cls, raw: RawReplication) -> Measured:
        w = raw.window
        out = []
        for run in raw.runs:
            enter, exit_, parts, count = run.pieces()
            if ascending(enter):  # rows in unit order enter in order: a slice, no copies
                lo, hi = np.searchsorted(enter, [w.start, w.end])
                ids: slice | np.ndarray = slice(int(lo), int(hi))
            else:
                ids = np.flatnonzero((enter >= w.start) & (enter < w.end))
            e = enter[ids]
            out.append(RouteRows(run.first_units()[ids], count[ids], e, exit_[ids] - e,
                                 {p: parts[p][ids] for p in PARTS}, run.unit_mode))
        return cls(out)

    def by_unit(self) -> dict[str, np.ndarray]:
        """All routes' rows concatenated, pieces listed unit by unit: ``code`` (the route's
        index), ``unit`` (index within the route), ``units``, ``enter``, ``total`` and the
        parts."""
        rs = self.routes
        rep = [np.full(r.units.size, 1, np.int64) if not r.pieces else r.units for r in rs]
        sizes = [int(x.sum()) for x in rep]
        out: dict[str, np.ndarray] = {
            "code": np.repeat(np.arange(len(rs), dtype=np.int32), sizes)}
        units, unit = [], []
        for r, k in zip(rs, rep, strict=True):
            if r.pieces and k.size and k.max() > 1:
                n = int(k.sum())
                unit.append(np.repeat(r.first - (np.cumsum(k) - k), k) + np.arange(n))
                units.append(np.ones(n, np.int64))
            else:
                unit.append(r.first)
                units.append(np.ones(r.units.size, np.int64) if r.pieces else r.units)
        out["unit"] = _cat(unit, np.int64)
        out["units"] = _cat(units, np.int64)
        for name in ("enter", "total"):
            out[name] = _cat([np.repeat(getattr(r, name), k) if r.pieces else getattr(r, name)
                              for r, k in zip(rs, rep, strict=True)], float)
        for p in PARTS:
            out[p] = _cat([np.repeat(r.parts[p], k) if r.pieces else r.parts[p]
                           for r, k in zip(rs, rep, strict=True)], float)
        return out


def _cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)


def categories(values: list[str], codes: np.ndarray) -> pd.Categorical[str]:
    """A dictionary-encoded column: ``values[code]`` per row, each distinct string once."""
    cats = list(dict.fromkeys(values))
    lookup = np.array([cats.index(v) for v in values], np.int32)
    return pd.Categorical.from_codes(lookup[codes] if len(values) else codes,
                                     categories=pd.Index(cats))


def unit_table(raw: RawReplication, plan: Plan, m: Measured | None = None) -> pd.DataFrame:
    """One row per measured consignment (see :data:`UNITS` and ``SimResult``)."""
    if not raw.runs:
        return UNITS.empty()
    m = m or Measured.of(raw)
    w = raw.window
    u = m.by_unit()
    out: dict[str, Any] = {"replication": np.full(u["code"].size, raw.index, np.int32)}
    for name in ("route", "corridor", "cargo"):
        out[name] = categories([getattr(r, "id" if name == "route" else name)
                                for r in plan.routes], u["code"])
    out.update(unit=u["unit"], units=u["units"], enter_day=(u["enter"] - w.start) / HOURS_PER_DAY,
               total_h=u["total"])
    for p in PARTS:
        out[f"{p}_h"] = u[p]
    out["done"] = np.isfinite(u["total"])
    return pd.DataFrame(out, copy=False)  # the columns are fresh arrays: no copy


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles of values ``x`` repeated ``w`` times (the inverse of the empirical CDF,
    averaging at exact steps, like the median of an even count)."""
    if x.size == 0:
        return [np.nan for _ in qs]
    order = np.argsort(x, kind="stable")
    return _sorted_quantiles(x[order], np.cumsum(w[order]), qs)


def _sorted_quantiles(xs: np.ndarray, cw: np.ndarray, qs: list[float]) -> list[float]:
    """:func:`weighted_quantiles` of values sorted ascending, with their cumulative weights."""
    total = float(cw[-1])
    last = xs.size - 1
    out = []
    for q in qs:
        k = q * total
        i = int(np.searchsorted(cw, k, side="left"))
        at = float(cw[min(i, last)])
        if abs(at - k) <= 1e-8 + 1e-5 * abs(k) and i < last and 0 < q < 1:  # np.isclose
            out.append(float((xs[i] + xs[i + 1]) / 2))
        else:
            out.append(float(xs[min(i, last)]))
    return out


@dataclass(frozen=True)
class RouteSums:
    """One route's measured units: counts, sums of hours, and its done units' door-to-door
    hours sorted ascending (ties in row order) with their weights."""

    units: float
    done: float
    hours: float
    parts: dict[str, float]
    sorted_total: np.ndarray
    sorted_weight: np.ndarray


def route_sums(m: Measured) -> list[RouteSums]:
    """Per route."""
    out = []
    for r in m.routes:
        finite = np.isfinite(r.total)
        # every unit done (the usual case): the arrays themselves, no copies
        ok: np.ndarray | slice = slice(None) if finite.all() else finite
        total, weight = r.total[ok], r.units[ok]
        if weight.size and weight.min() == weight.max():  # one weight: sort the values only
            xs, ws = np.sort(total), weight
        else:
            order = np.argsort(total, kind="stable")
            xs, ws = total[order], weight[order]
        out.append(RouteSums(float(r.units.sum()), float(weight.sum()),
                             float((total * weight).sum()),
                             {p: float((r.parts[p][ok] * weight).sum()) for p in PARTS},
                             xs, ws))
    return out


def flow_stats(raw: RawReplication, plan: Plan, by: str, m: Measured | None = None,
               sums: list[RouteSums] | None = None) -> pd.DataFrame:
    """Per-replication statistics of measured units, grouped by route or (corridor, cargo).

    Means and quantiles are over units (a train of 100 TEU counts 100 times); speeds are
    total distance over total time. ``sums`` (from :func:`route_sums`) can be shared by both
    groupings.
    """
    if sums is None:
        sums = route_sums(m or Measured.of(raw))
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, route in enumerate(plan.routes):
        key: tuple[str, ...] = (route.id,) if by == "route" else (route.corridor, route.cargo)
        groups.setdefault(key, []).append(i)
    names = ("route",) if by == "route" else ("corridor", "cargo")
    stats = ("mean_days", "median_days", "p90_days", *(f"{p}_days" for p in PARTS), "swd_kmh",
             "swod_kmh")  # in the registry's order
    cols: dict[str, list[Any]] = {c: [] for c in (*names, "replication", "units", "done_share",
                                                  *stats)}
    for key, members in groups.items():
        rs = [sums[i] for i in members]
        n = sum(r.units for r in rs)
        done = sum(r.done for r in rs)
        for name, value in zip(names, key, strict=True):
            cols[name].append(value)
        cols["replication"].append(raw.index)
        cols["units"].append(n)
        cols["done_share"].append(done / n if n else np.nan)
        row: dict[str, float] = dict.fromkeys(stats, np.nan)
        if done:
            if len(rs) == 1:
                xs, ws = rs[0].sorted_total, rs[0].sorted_weight
            else:  # merge the members' sorted runs; equal values keep route order
                x = np.concatenate([r.sorted_total for r in rs])
                order = np.argsort(x, kind="stable")
                xs, ws = x[order], np.concatenate([r.sorted_weight for r in rs])[order]
            q50, q90 = _sorted_quantiles(xs, np.cumsum(ws), [0.5, 0.9])
            hours = sum(r.hours for r in rs)
            moving = sum(r.parts["moving"] for r in rs)
            distance = sum(plan.distance_km(i) * sums[i].done for i in members)
            row.update(mean_days=hours / done / HOURS_PER_DAY, median_days=q50 / HOURS_PER_DAY,
                       p90_days=q90 / HOURS_PER_DAY,
                       swd_kmh=distance / hours if hours > 0 else np.nan,
                       swod_kmh=distance / moving if moving > 0 else np.nan)
            for p in PARTS:
                row[f"{p}_days"] = sum(r.parts[p] for r in rs) / done / HOURS_PER_DAY
        for name in stats:
            cols[name].append(row[name])
    return pd.DataFrame(cols)


def conservation_table(raw: RawReplication) -> pd.DataFrame:
    """Per route: units that entered by the end of the year, and where they were then."""
    T = raw.window.end
    cols: dict[str, list[Any]] = {c: [] for c in (
        "replication", "route", "entered", "measured", "left", "in_queue", "in_transit",
        "balanced", "unfinished")}
    for run in raw.runs:
        enter, exit_, _, count = run.pieces()
        entered = int(count[enter <= T].sum())
        left = int(count[exit_ <= T].sum())
        row = {
            "replication": raw.index, "route": run.route.id, "entered": entered,
            "measured": int(count[(enter >= raw.window.start) & (enter < T)].sum()),
            "left": left, "in_queue": run.in_queue, "in_transit": run.in_transit,
            "balanced": entered == left + run.in_queue + run.in_transit,
            "unfinished": int(count[~np.isfinite(exit_)].sum())}
        for k, v in row.items():
            cols[k].append(v)
    return pd.DataFrame(cols)


def resource_table(raw: RawReplication, plan: Plan) -> pd.DataFrame:
    """Stations and port queues (from the engine) plus berths (from the vessel loops)."""
    rows = [dict(r, replication=raw.index) for r in raw.stations]
    w = raw.window
    length = w.end - w.start
    for _, outcome in raw.sea:
        for port, (s, e) in outcome.berth_use.items():
            berths = plan.berths.get(port)
            ws, we = outcome.berth_wait[port]
            inside = (ws >= w.start) & (ws < w.end)
            rows.append({
                "replication": raw.index, "resource": f"berths:{port}", "kind": "berths",
                "node": port, "servers": float(berths or np.nan),
                "customers": float(np.count_nonzero((s >= w.start) & (s < w.end))),
                "mean_wait_h": float((we - ws)[inside].mean()) if inside.any() else 0.0,
                "mean_queue": overlap(ws, we, w.start, w.end) / length,
                "busy": overlap(s, e, w.start, w.end) / length,
                "utilisation": overlap(s, e, w.start, w.end) / length / berths
                if berths else np.nan})
    return pd.DataFrame(rows)


def queue_table(raw: RawReplication) -> pd.DataFrame:
    """Daily samples (at 00:00) of the number waiting at each station and port."""
    if not raw.queues:
        return QUEUES.empty()
    keys = list(raw.queues)
    series = [np.asarray(raw.queues[k], float) for k in keys]
    sizes = np.array([x.size for x in series], np.int64)
    code = np.repeat(np.arange(len(keys), dtype=np.int32), sizes)
    return pd.DataFrame({
        "replication": np.full(code.size, raw.index, np.int64),
        "resource": pd.Categorical.from_codes(code, categories=pd.Index(keys)),
        "day": np.concatenate([np.arange(n) for n in sizes]),
        "queue": np.concatenate(series)}, copy=False)


def _vessel_labels(plan: Plan, line_ids: Iterable[str], vessel_line: list[int],
                   vessel_fleet: list[int]) -> list[tuple[str, str, str]]:
    lines = [plan.lines[lid] for lid in line_ids]
    labels: list[tuple[str, str, str]] = []
    seen: dict[tuple[int, int], int] = {}
    for li, fi in zip(vessel_line, vessel_fleet, strict=True):
        fleet = lines[li].fleets[fi].id
        k = seen.get((li, fi), 0) + 1
        seen[(li, fi)] = k
        labels.append((lines[li].id, fleet, f"{lines[li].id}/{fleet}/{k}"))
    return labels


def sailing_table(raw: RawReplication, plan: Plan) -> pd.DataFrame:
    """One row per sailing that took cargo (or left its home port) before the run stopped."""
    frames = []
    w0 = raw.window.start
    for line_ids, out in raw.sea:
        s = out.sailings
        if not s["take"].size:
            continue
        labels = _vessel_labels(plan, line_ids, out.vessel_line, out.vessel_fleet)
        vessel = s["vessel"]
        frames.append(pd.DataFrame({
            "replication": raw.index,
            "line": categories(list(line_ids), s["line"]),
            "direction": pd.Categorical.from_codes(s["reverse"].astype(np.int8),
                                                   categories=pd.Index(["forward", "reverse"])),
            "vessel": categories([lb[2] for lb in labels], vessel),
            "fleet": categories([lb[1] for lb in labels], vessel),
            "take_h": s["take"] - w0, "depart_h": s["depart"] - w0,
            "arrive_h": s["arrive"] - w0, "unload_end_h": s["unload_end"] - w0,
            "units": s["units"], "load": s["amount"], "capacity": s["capacity"],
            "load_factor": s["amount"] / s["capacity"],
            "weather_hold_h": s["depart"] - s["loaded"],
        }, copy=False))
    if len(frames) > 1:  # one dictionary for all lines, not a union per concat
        for col in ("line", "vessel", "fleet"):
            union = pd.api.types.union_categoricals([f[col] for f in frames])
            for f in frames:
                f[col] = f[col].cat.set_categories(union.categories)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def vessel_table(raw: RawReplication, plan: Plan) -> pd.DataFrame:
    """Per vessel: sailings and round trips that left in the measured year, and their loads."""
    frames = []
    w = raw.window
    for line_ids, out in raw.sea:
        labels = _vessel_labels(plan, line_ids, out.vessel_line, out.vessel_fleet)
        if not labels:
            continue
        nv = len(labels)
        s = out.sailings
        dep = s["depart"] - w.start
        keep = (dep >= 0) & (dep < w.year_h)
        v = s["vessel"][keep]
        home_rev = np.array([plan.lines[line].home_reverse for line, _, _ in labels], bool)
        home_trip = (s["reverse"][keep] == 1) == home_rev[v]
        sailings = np.bincount(v, minlength=nv)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_lf = np.bincount(v, (s["amount"] / s["capacity"])[keep], nv) / sailings
        frames.append(pd.DataFrame({
            "vessel": [lb[2] for lb in labels], "replication": raw.index,
            "line": [lb[0] for lb in labels], "fleet": [lb[1] for lb in labels],
            "sailings": sailings, "rotations": np.bincount(v, home_trip, nv).astype(np.int64),
            "units": np.bincount(v, s["units"][keep], nv).astype(np.int64),
            "mean_load_factor": mean_lf,
            "weather_hold_h": np.bincount(v, (s["depart"] - s["loaded"])[keep], nv)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
