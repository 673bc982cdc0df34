"""Benchmark of titr.experiments (a script that prints; not a test, no timing assertions).

1. The built-in experiment ``ferries-storms-demand-2030`` (27 points × 10 replications = 270
   runs) by ``run_sweep`` serially, on local processes and on a local Dask cluster of the same
   number of workers, in interleaved rounds. Each sweep's wall time includes everything a user
   waits for: resolving the experiment, starting and warming the workers, the 27 assignments,
   the runs and the stores. CPU time is this process's and its children's (the workers, once
   joined), so on a shared machine ``CPU ratio`` = serial CPU / parallel CPU shows what the
   parallel executor costs in work, whatever the other load does to wall times.
   Efficiency = serial wall / (workers × parallel wall), min and median over the rounds.
2. The client's storage rate: runs with the built-in experiment's outputs written in batches
   to a fresh DuckDB file and as Parquet partitions, runs/s; and the arithmetic of how many
   workers the client can keep up with at the measured run time.

Usage: ``python benchmarks/bench_sweep.py [--rounds 3] [--workers 2]
[--executors serial processes dask] [--store-only]``
Goals: efficiency >= 90 % on local processes and >= 80 % on Dask (2 workers, 2 idle cores);
the client stores >= 64 workers' worth of runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from titr.experiments import ExecutorSpec, load_experiment, run_sweep
from titr.experiments import store as duck_store
from titr.experiments.partitions import PartitionSink, create
from titr.experiments.runner import RunRecord

EXPERIMENT = "ferries-storms-demand-2030"


def _cpu() -> float:
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                 resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def sweeps(rounds: int, workers: int, kinds: list[str]) -> tuple[pd.DataFrame, float]:
    rows, tables = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(rounds):
            for kind in kinds:
                spec = ExecutorSpec(kind, workers=workers if kind == "processes" else None,
                                    dask_local=workers if kind == "dask" else None)
                load0, cpu0, t0 = os.getloadavg()[0], _cpu(), time.perf_counter()
                res = run_sweep(EXPERIMENT, Path(tmp) / f"{kind}-{k}.duckdb", spec)
                wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
                tables.setdefault(kind, res.outputs)
                rows.append({"executor": kind, "round": k, "workers": res.workers,
                             "wall s": wall, "cpu s": cpu, "runs": len(res.runs),
                             "mean run s": float(res.runs["seconds"].mean()),
                             "load before": load0})
                print(f"  round {k} {kind}: wall {wall:.1f} s, cpu {cpu:.1f} s, load "
                      f"{load0:.1f}", flush=True)
    for kind, frame in tables.items():
        print(f"  {kind} tables identical to {kinds[0]}: {frame.equals(tables[kinds[0]])}")
    df = pd.DataFrame(rows)
    run_s = float(df.loc[df.executor == kinds[0], "mean run s"].median())
    return df, run_s


def table(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby("executor", sort=False)
    out = pd.DataFrame({
        "workers": g["workers"].first(),
        "wall min s": g["wall s"].min(), "wall median s": g["wall s"].median(),
        "cpu min s": g["cpu s"].min(), "cpu median s": g["cpu s"].median(),
        "runs/s (median)": g["runs"].first() / g["wall s"].median()})
    if "serial" in out.index:
        serial_wall = out.loc["serial", ["wall min s", "wall median s"]]
        out["efficiency % (min)"] = 100 * serial_wall["wall min s"] / (
            out["workers"] * out["wall min s"])
        out["efficiency % (median)"] = 100 * serial_wall["wall median s"] / (
            out["workers"] * out["wall median s"])
        out["CPU ratio %"] = 100 * out.loc["serial", "cpu median s"] / out["cpu median s"]
    return out.reset_index()


def _records(n: int) -> list[RunRecord]:
    """``n`` runs with the outputs of a real run of the built-in experiment."""
    from titr.experiments.payload import install
    from titr.experiments.runner import run_titr
    from titr.experiments.sweep import _tasks

    r = load_experiment(EXPERIMENT)
    assert r.payload is not None
    install(r.payload)
    task = _tasks(r, r.payload.digest)[0]
    outputs = run_titr(task, 0)
    return [RunRecord(i // 1000, i % 1000, 0.1, "bench:1", outputs) for i in range(n)]


def storage(run_s: float, total: int = 20_000) -> None:
    records = _records(total)
    print(f"client storage: {total:,} runs of {len(records[0].outputs)} output rows each")
    r = load_experiment(EXPERIMENT)
    meta = {"experiment": r.experiment.model_dump(mode="json"), "fingerprint": "bench"}
    points = pd.DataFrame({"point": range(total // 1000 + 1)})
    for batch in (50, 500, 2000):
        with tempfile.TemporaryDirectory() as tmp:
            con = duck_store.connect(Path(tmp) / "s.duckdb")
            duck_store.create(con, meta, points)
            t0 = time.perf_counter()
            for i in range(0, total, batch):
                duck_store.write(con, records[i:i + batch])
            duck = total / (time.perf_counter() - t0)
            con.close()
            create(Path(tmp) / "parts", meta, points)
            sink = PartitionSink(Path(tmp) / "parts")
            t0 = time.perf_counter()
            for i in range(0, total, batch):
                sink.write(records[i:i + batch])
            parts = total / (time.perf_counter() - t0)
        print(f"  batches of {batch:>5} runs: DuckDB {duck:,.0f} runs/s, Parquet partitions "
              f"{parts:,.0f} runs/s")
    need = 64 / run_s
    print(f"64 workers at the built-in experiment's {run_s:.3f} s a run finish {need:,.0f} "
          f"runs/s (64 / {run_s:.3f}); a sweep stores every {1.0:.0f} s, so its batches hold "
          f"~{need:,.0f} runs: the client keeps up while the rate above at that batch size "
          "exceeds it (the slowest measured rate / the need = the headroom)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executors", nargs="+", default=["serial", "processes", "dask"])
    ap.add_argument("--store-only", action="store_true")
    args = ap.parse_args()
    print(f"{EXPERIMENT}: 270 runs; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.2f} before")
    run_s = 0.08
    if not args.store_only:
        df, run_s = sweeps(args.rounds, args.workers, args.executors)
        with pd.option_context("display.width", 200, "display.float_format",
                               "{:,.2f}".format):
            print(table(df).to_string(index=False))
        print("goals: efficiency >= 90 % (processes), >= 80 % (Dask) on 2 idle cores")
    storage(run_s)


if __name__ == "__main__":
    main()
