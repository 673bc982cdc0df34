"""The tables of one replication, from the engine's raw arrays.

Times in tables are hours (``_h``) or days (``_days``) since 1 January 00:00 of the simulated
year, or durations. A unit is *measured* when it entered the network during the measured year.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from titr.sim.engine import RawReplication
from titr.sim.plan import Plan
from titr.sim.stages import PARTS
from titr.sim.stats import overlap

UNIT_COLUMNS = ("replication", "route", "corridor", "cargo", "unit", "units", "enter_day",
                "total_h", *(f"{p}_h" for p in PARTS), "done")


def unit_table(raw: RawReplication, plan: Plan) -> pd.DataFrame:
    """One row per measured consignment (see :data:`UNIT_COLUMNS` and ``SimResult``)."""
    w = raw.window
    cols: dict[str, list[np.ndarray]] = {c: [] for c in ("code", "unit", "units", "enter",
                                                         "total", *PARTS)}
    for i, run in enumerate(raw.runs):
        enter, exit_, parts, count = run.rows()
        ids = np.flatnonzero((enter >= w.start) & (enter < w.end))
        cols["code"].append(np.full(ids.size, i, np.int32))
        cols["unit"].append(ids)
        cols["units"].append(count[ids])
        cols["enter"].append(enter[ids])
        cols["total"].append(exit_[ids] - enter[ids])
        for p in PARTS:
            cols[p].append(parts[p][ids])
    if not raw.runs:
        return pd.DataFrame(columns=list(UNIT_COLUMNS))
    a = {k: np.concatenate(v) for k, v in cols.items()}
    code = a["code"]
    out: dict[str, Any] = {"replication": np.full(code.size, raw.index, np.int32)}
    for name in ("route", "corridor", "cargo"):
        values = [getattr(r, "id" if name == "route" else name) for r in plan.routes]
        cats = list(dict.fromkeys(values))
        lookup = np.array([cats.index(v) for v in values], np.int32)
        out[name] = pd.Categorical.from_codes(lookup[code], categories=pd.Index(cats))
    out.update(unit=a["unit"], units=a["units"], enter_day=(a["enter"] - w.start) / 24.0,
               total_h=a["total"])
    for p in PARTS:
        out[f"{p}_h"] = a[p]
    out["done"] = np.isfinite(a["total"])
    return pd.DataFrame(out)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles of values ``x`` repeated ``w`` times (the inverse of the empirical CDF,
    averaging at exact steps, like the median of an even count)."""
    if x.size == 0:
        return [np.nan for _ in qs]
    order = np.argsort(x, kind="stable")
    xs, cw = x[order], np.cumsum(w[order])
    total = cw[-1]
    out = []
    for q in qs:
        k = q * total
        i = int(np.searchsorted(cw, k, side="left"))
        if np.isclose(cw[min(i, xs.size - 1)], k) and i + 1 < xs.size and 0 < q < 1:
            out.append(float((xs[i] + xs[i + 1]) / 2))
        else:
            out.append(float(xs[min(i, xs.size - 1)]))
    return out


def flow_stats(raw: RawReplication, plan: Plan, by: str) -> pd.DataFrame:
    """Per-replication statistics of measured units, grouped by route or (corridor, cargo).

    Means and quantiles are over units (a train of 100 TEU counts 100 times); speeds are
    total distance over total time.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, route in enumerate(plan.routes):
        key: tuple[str, ...] = (route.id,) if by == "route" else (route.corridor, route.cargo)
        groups.setdefault(key, []).append(i)
    rows = []
    w = raw.window
    for key, members in groups.items():
        tot: list[np.ndarray] = []
        cnt: list[np.ndarray] = []
        km: list[np.ndarray] = []
        parts: dict[str, list[np.ndarray]] = {p: [] for p in PARTS}
        n = 0
        for i in members:
            enter, exit_, part, count = raw.runs[i].rows()
            m = (enter >= w.start) & (enter < w.end)
            n += int(count[m].sum())
            t = exit_[m] - enter[m]
            ok = np.isfinite(t)
            tot.append(t[ok])
            cnt.append(count[m][ok])
            km.append(np.full(int(ok.sum()), plan.distance_km(i)))
            for p in PARTS:
                parts[p].append(part[p][m][ok])
        total, weight, dist = np.concatenate(tot), np.concatenate(cnt), np.concatenate(km)
        row: dict[str, Any] = dict(zip(("route",) if by == "route" else ("corridor", "cargo"),
                                       key, strict=True))
        done = float(weight.sum())
        row.update(replication=raw.index, units=float(n), done_share=done / n if n else np.nan)
        if done:
            q50, q90 = weighted_quantiles(total, weight, [0.5, 0.9])
            hours = float((total * weight).sum())
            moving = float((np.concatenate(parts["moving"]) * weight).sum())
            distance = float((dist * weight).sum())
            row.update(mean_days=hours / done / 24.0, median_days=q50 / 24.0,
                       p90_days=q90 / 24.0,
                       swd_kmh=distance / hours if hours > 0 else np.nan,
                       swod_kmh=distance / moving if moving > 0 else np.nan)
            for p in PARTS:
                row[f"{p}_days"] = float((np.concatenate(parts[p]) * weight).sum()) / done / 24
        rows.append(row)
    return pd.DataFrame(rows)


def conservation_table(raw: RawReplication) -> pd.DataFrame:
    """Per route: units that entered by the end of the year, and where they were then."""
    rows = []
    T = raw.window.end
    for run in raw.runs:
        enter, exit_, _, count = run.rows()
        entered = int(count[enter <= T].sum())
        left = int(count[exit_ <= T].sum())
        rows.append({
            "replication": raw.index, "route": run.route.id, "entered": entered,
            "measured": int(count[(enter >= raw.window.start) & (enter < T)].sum()),
            "left": left, "in_queue": run.in_queue, "in_transit": run.in_transit,
            "balanced": entered == left + run.in_queue + run.in_transit,
            "unfinished": int(count[~np.isfinite(exit_)].sum()),
        })
    return pd.DataFrame(rows)


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
    frames = [pd.DataFrame({"replication": raw.index, "resource": key,
                            "day": np.arange(series.size), "queue": series})
              for key, series in raw.queues.items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["replication", "resource", "day", "queue"])


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
        lines = list(line_ids)
        frames.append(pd.DataFrame({
            "replication": raw.index,
            "line": [lines[i] for i in s["line"]],
            "direction": np.where(s["reverse"] == 1, "reverse", "forward"),
            "vessel": [labels[v][2] for v in s["vessel"]],
            "fleet": [labels[v][1] for v in s["vessel"]],
            "take_h": s["take"] - w0, "depart_h": s["depart"] - w0,
            "arrive_h": s["arrive"] - w0, "unload_end_h": s["unload_end"] - w0,
            "units": s["units"], "load": s["amount"], "capacity": s["capacity"],
            "load_factor": s["amount"] / s["capacity"],
            "weather_hold_h": s["depart"] - s["loaded"],
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def vessel_table(raw: RawReplication, plan: Plan, sailings: pd.DataFrame) -> pd.DataFrame:
    """Per vessel: sailings and round trips that left in the measured year, and their loads."""
    info = []
    for line_ids, out in raw.sea:
        for line, fleet, label in _vessel_labels(plan, line_ids, out.vessel_line,
                                                 out.vessel_fleet):
            home = "reverse" if plan.lines[line].home_reverse else "forward"
            info.append({"replication": raw.index, "vessel": label, "line": line,
                         "fleet": fleet, "home": home})
    if not info:
        return pd.DataFrame()
    df = pd.DataFrame(info).set_index("vessel")
    if len(sailings):
        s = sailings[(sailings["depart_h"] >= 0) & (sailings["depart_h"] < raw.window.year_h)]
        s = s.assign(home_trip=s["direction"].to_numpy() == df.loc[s["vessel"], "home"]
                     .to_numpy())
        agg = s.groupby("vessel").agg(sailings=("units", "size"), rotations=("home_trip", "sum"),
                                      units=("units", "sum"),
                                      mean_load_factor=("load_factor", "mean"),
                                      weather_hold_h=("weather_hold_h", "sum"))
        df = df.join(agg)
    for c in ("sailings", "rotations", "units", "weather_hold_h"):
        df[c] = df[c].fillna(0) if c in df else 0
    if "mean_load_factor" not in df:
        df["mean_load_factor"] = np.nan
    return df.drop(columns="home").reset_index()
