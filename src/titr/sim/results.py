"""The result of a simulation: tidy tables over all replications, and summaries across them.

Confidence intervals are t-intervals (95%) on the per-replication statistic: a replication's
median door-to-door time is one observation; the interval is mean ± t(0.975, R−1)·sd/√R.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from titr.model.columns import spec
from titr.model.columns.simulation_columns import KPI_METRICS
from titr.model.intervals import t_half_width, t_interval
from titr.model.overview import Overviewed, number, table_sizes
from titr.model.units import HOURS_PER_DAY
from titr.sim.stats import Window

__all__ = ["KPI_METRICS", "SimResult", "across", "t_interval"]


def across(per_rep: pd.DataFrame, keys: list[str], metrics: tuple[str, ...] | list[str],
           level: float = 0.95) -> pd.DataFrame:
    """Long table: ``keys``, metric, mean, ci_low, ci_high, replications (t-intervals)."""
    columns = [*keys, "metric", "mean", "ci_low", "ci_high", "replications"]
    metrics = [m for m in metrics if m in per_rep]
    if per_rep.empty or not metrics:
        return pd.DataFrame(columns=columns)
    values = np.column_stack([
        per_rep[m].to_numpy(float) if pd.api.types.is_float_dtype(per_rep[m].dtype)
        else pd.to_numeric(per_rep[m], errors="coerce").to_numpy(float) for m in metrics])
    groups: dict[tuple[Any, ...], list[int]] = {}  # first appearance first, like sort=False
    for r, key in enumerate(zip(*(per_rep[k].tolist() for k in keys), strict=True)):
        if not any(v is None or v != v for v in key):  # groupby drops missing keys
            groups.setdefault(key, []).append(r)
    order = list(groups.values())
    g, k = len(order), len(metrics)
    mean = np.full((g, k), np.nan)
    half = np.full((g, k), np.nan)
    count = np.zeros((g, k), np.int64)
    if all(len(idx) == 1 for idx in order):  # one replication: the values themselves
        block = values[[idx[0] for idx in order]]
        ok = np.isfinite(block)
        mean[ok] = block[ok]
        count[ok] = 1
    else:
        for gi, idx in enumerate(order):
            block = values[idx]
            for ki in range(k):
                x = block[:, ki]
                x = x[np.isfinite(x)]
                n = count[gi, ki] = x.size
                if n:
                    mean[gi, ki] = float(x.mean())
                if n >= 2:
                    half[gi, ki] = t_half_width(float(x.std(ddof=1)), n, level)
    table: dict[str, Any] = {name: np.repeat(np.array([key[c] for key in groups], object), k)
                             for c, name in enumerate(keys)}
    table.update(metric=np.tile(np.array(metrics, object), g), mean=mean.ravel(),
                 ci_low=(mean - half).ravel(), ci_high=(mean + half).ravel(),
                 replications=count.ravel())
    return pd.DataFrame(table, columns=columns)


@dataclass(frozen=True, repr=False)
class SimResult(Overviewed):
    """Tables of a simulation (every table has a ``replication`` column where it applies).

    - ``units``: one row per measured consignment (entered during the measured year): a unit,
      or on routes that never split their trains (no sea crossing) a whole train; ``units``
      says how many units the row stands for. Columns: ``route``, ``corridor``, ``cargo``,
      ``unit`` (index within the route), ``units``, ``enter_day`` (days since 1 January),
      ``total_h`` (door to door; ``inf`` if not done when the run stopped) and its parts
      ``vessel_wait_h`` (port queue, storm holds, wait for a berth to unload), ``border_h``,
      ``transship_h`` (gauge change, dwell, vessel loading and unloading) and ``moving_h``
      (legs, sailing), and ``done``.
    - ``resources``: per station, port queue and berth set: ``customers`` (arriving in the
      year; trains or units, vessel calls for berths), ``mean_wait_h``, ``p90_wait_h``,
      ``mean_time_h`` (wait + service: the time to clear), ``median_time_h``, ``p90_time_h``,
      ``mean_queue`` (time-weighted mean number waiting), ``busy`` (mean number in service)
      and ``utilisation`` (busy / servers).
    - ``queues``: the number waiting at each resource at 00:00 of each ``day`` of the year.
    - ``sailings``: one row per sailing: times since 1 January (``take_h`` when it took its
      cargo, ``depart_h``, ``arrive_h``, ``unload_end_h``), ``units``, ``load`` and
      ``capacity`` (in the fleet's load unit), ``load_factor``, ``weather_hold_h``.
    - ``vessels``: per vessel: ``sailings`` and ``rotations`` (sailings from its home port)
      leaving in the year, ``units`` carried, ``mean_load_factor``, ``weather_hold_h``.
    - ``kpis`` / ``route_kpis``: by corridor and cargo / by route, each metric of
      :data:`KPI_METRICS` as ``mean`` with ``ci_low``/``ci_high`` across replications. Days
      are door to door; ``swd_kmh`` = distance / total time, ``swod_kmh`` = distance / moving
      time (CAREC CPMM speeds with and without delay; sums over units).
    - ``cpmm``: CAREC CPMM-style indicators: ``border_hours`` (mean hours to clear each border
      crossing point, per direction) and ``swd_kmh`` / ``swod_kmh`` by corridor and cargo.
    - ``port_waits``: per sea service and direction, ``mean_days`` and ``p90_days`` waiting for
      a vessel, with t-intervals.
    - ``flow_stats``: the per-replication values behind ``kpis``.
    - ``conservation``: per route, at the end of the year: ``entered`` = ``left`` +
      ``in_queue`` + ``in_transit`` (``balanced``); ``unfinished`` units were not done when the
      run stopped (drain included).
    """

    units: pd.DataFrame
    resources: pd.DataFrame
    queues: pd.DataFrame
    sailings: pd.DataFrame
    vessels: pd.DataFrame
    kpis: pd.DataFrame
    route_kpis: pd.DataFrame
    cpmm: pd.DataFrame
    port_waits: pd.DataFrame
    conservation: pd.DataFrame
    flow_stats: pd.DataFrame
    replications: int
    seed: int
    window: Window

    def _overview(self) -> tuple[str, str, dict[str, str]]:
        facts = {"runs": f"{self.replications} replication(s), seed {self.seed}, "
                 f"{self.window.warmup_h / HOURS_PER_DAY:g} warm-up days"}
        for _, r in self.kpi("median_days").head(8).iterrows():
            facts[f"{r['corridor']}/{r['cargo']}"] = f"median {number(r['mean'])} days"
        ok = bool(self.conservation["balanced"].all()) if len(self.conservation) else True
        facts["conservation"] = "holds" if ok else "FAILS"
        facts["tables"] = table_sizes({n: getattr(self, n) for n in (
            "units", "resources", "queues", "sailings", "vessels", "kpis", "route_kpis",
            "cpmm", "port_waits", "conservation", "flow_stats")})
        return "SimResult", f"{self.replications} replications", facts

    def kpi(self, metric: str, by: str = "corridor") -> pd.DataFrame:
        """One metric as a wide table: keys, mean, ci_low, ci_high."""
        table = self.kpis if by == "corridor" else self.route_kpis
        return table[table["metric"] == metric].drop(columns="metric").reset_index(drop=True)

    def vessel_wait_hours(self, metric: str = "mean_days") -> dict[str, float]:
        """Mean (or ``"p90_days"``) hours waiting for a vessel per sea-service arc, keyed as
        the assignment keys them: ``"a-b"`` forward, ``"a-b>"`` reverse."""
        pw = self.port_waits
        rows = pw[pw["metric"] == metric] if len(pw) else pw
        return {r["service"] + (">" if r["direction"] == "reverse" else ""):
                HOURS_PER_DAY * r["mean"] for _, r in rows.iterrows()}

    def summary(self) -> str:
        """A short readable summary (the caller prints it)."""
        lines = [f"{self.replications} replication(s), seed {self.seed}, "
                 f"{self.window.warmup_h / HOURS_PER_DAY:g} warm-up days"]
        for metric in ("median_days", "p90_days"):
            for _, r in self.kpi(metric).iterrows():
                ci = "" if np.isnan(r["ci_low"]) else f" [{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
                lines.append(f"  {r['corridor'] or '-'} / {r['cargo'] or '-'}: {metric} "
                             f"{r['mean']:.2f}{ci}")
        ok = bool(self.conservation["balanced"].all()) if len(self.conservation) else True
        lines.append(f"  conservation {'holds' if ok else 'FAILS'}")
        return "\n".join(lines)


def port_waits(resources: pd.DataFrame) -> pd.DataFrame:
    ports = resources[resources["kind"] == "port"] if len(resources) else resources
    if ports.empty:
        return spec("simulation.port_waits").empty()
    keys = ports["resource"].tolist()  # port:<node>:<service>[:reverse]
    df = ports.assign(service=[k.split(":")[2] for k in keys],
                      direction=["reverse" if k.endswith(":reverse") else "forward"
                                 for k in keys],
                      port=ports["node"], mean_days=ports["mean_wait_h"] / HOURS_PER_DAY,
                      p90_days=ports["p90_wait_h"] / HOURS_PER_DAY)
    return across(df, ["service", "direction", "port"], ["mean_days", "p90_days"])


def cpmm(resources: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    frames = []
    if len(resources):
        borders = resources[resources["kind"] == "border"]
        if len(borders):
            b = across(borders.assign(border_hours=borders["mean_time_h"]),
                       ["resource", "node"], ["border_hours"])
            frames.append(b.rename(columns={"metric": "indicator"}))
    if len(flows):
        s = across(flows, ["corridor", "cargo"], ["swd_kmh", "swod_kmh"])
        frames.append(s.rename(columns={"metric": "indicator"}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
