"""Benchmark of titr.experiments (a script that prints; not a test, no timing assertions).

N replications (default 1,000) of the 2030 simulation of the built-in scenario as one design
point, run by ``run_sweep`` serially, on 2 local processes and on a Dask LocalCluster of 2
workers; the wall time of each (start-up of the workers, the point's assignment and plan,
every run, every write to DuckDB included), runs per second, and the parallel efficiency
= serial time / (workers × parallel time). It checks that the three give identical tables.
Then one replication's time split into the engine and the output tables, and (``--profile``)
the top functions of a cProfile of a few replications.

Usage: ``python benchmarks/bench_sweep.py [--replications 1000] [--workers 2]
[--executors serial processes dask] [--profile]``
Goals: efficiency >= 80 % on 2 workers; the 1,000 replications in < 5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from titr.experiments import ExecutorSpec, Experiment, run_sweep
from titr.experiments.resolve import Resolved, resolve
from titr.experiments.runner import PointTask, point_state, run_titr

OUTPUTS = ["median_days", "p90_days", "vessel_wait_mean_h", "vessel_wait_p90_h"]


def experiment(replications: int) -> Resolved:
    exp = Experiment(name="bench-2030", scenario="middle-corridor", years=[2030],
                     design="full-factorial", replications=replications, seed=2030,
                     outputs=OUTPUTS, sensitivity=[])
    return resolve(exp, Path(tempfile.gettempdir()) / "bench-2030.toml")


def one_replication(task: PointTask, repeats: int) -> None:
    """Where the time of one replication goes: the engine, then the output tables."""
    from titr.experiments.outputs import simulation_outputs
    from titr.sim.engine import run_replication
    from titr.sim.stats import Window

    t0 = time.perf_counter()
    state = point_state(task)
    prep = time.perf_counter() - t0
    plan = state.plans[2030]
    window = Window(task.warmup_days * 24.0, 8760.0, task.drain_days * 24.0)
    engine, tables = [], []
    for r in range(repeats):
        t0 = time.perf_counter()
        raw = run_replication(plan, window, task.seed, r, point=task.point)
        t1 = time.perf_counter()
        simulation_outputs(raw, plan, 2030, OUTPUTS)
        engine.append(t1 - t0)
        tables.append(time.perf_counter() - t1)
    units = sum(int(rr.rows()[3].sum()) for rr in raw.runs)
    print(f"one point: assignment + plan {prep:.2f} s (once per worker); one replication "
          f"(median of {repeats}): engine {np.median(engine):.3f} s + output tables "
          f"{np.median(tables):.3f} s; {len(plan.routes)} routes, ~{units:,} units a year")


def profile(task: PointTask, n: int) -> None:
    pr = cProfile.Profile()
    pr.enable()
    for r in range(n):
        run_titr(task, r)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(15)
    print(f"cProfile of {n} replications, by own time:")
    print("\n".join(s.getvalue().splitlines()[6:30]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executors", nargs="+", default=["serial", "processes", "dask"])
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    r = experiment(args.replications)
    task = PointTask(r.fingerprint, 0, {}, r.overrides({}), r.scenario, (2030,),
                     tuple(OUTPUTS), 2030)
    print(f"{args.replications} replications of 2030 (middle-corridor), one design point; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} before")
    one_replication(task, 10)
    if args.profile:
        profile(task, 10)
    rows, outputs = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.executors:
            spec = ExecutorSpec(kind, workers=args.workers if kind == "processes" else None,
                                dask_local=args.workers if kind == "dask" else None)
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            res = run_sweep(r, Path(tmp) / f"{kind}.duckdb", spec,
                            max_runs=max(5000, args.replications))
            wall = time.perf_counter() - t0
            outputs[kind] = res.outputs
            rows.append({"executor": kind, "workers": res.workers, "wall s": wall,
                         "runs/s": len(res.runs) / wall,
                         "mean run s": float(res.runs["seconds"].mean()),
                         "busy %": 100 * float(res.runs["seconds"].sum()) / (res.workers * wall),
                         "load before": load0, "load after": os.getloadavg()[0]})
            print(f"  {kind}: {wall:.1f} s", flush=True)
    df = pd.DataFrame(rows)
    if "serial" in outputs:
        serial = float(df.loc[df.executor == "serial", "wall s"].iloc[0])
        df["efficiency %"] = 100 * serial / (df["workers"] * df["wall s"])
        for kind, frame in outputs.items():
            same = frame.equals(outputs["serial"])
            print(f"  {kind} tables identical to serial: {same}")
    with pd.option_context("display.width", 140, "display.float_format", "{:,.2f}".format):
        print(df.to_string(index=False))
    print("efficiency = serial wall / (workers × wall); busy % = time in runs / (workers × "
          "wall): what start-up, the assignment and scheduling leave; mean run s above the "
          "serial one = the workers slowing each other (shared cores, other load)")
    print("goals: efficiency >= 80 % on 2 workers; 1,000 replications < 300 s")


if __name__ == "__main__":
    main()
