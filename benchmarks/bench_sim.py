"""Benchmarks of titr.sim (a script that prints; not a test, no timing assertions).

1. The ferry/port/border/storm benchmark model (``benchmark_model.py``) at scale 1 (200k
   wagons a year) and scale 10 (2M): titr's engine and the SimPy reference
   (``simpy_reference.py``) on the same random inputs, in interleaved rounds. Prints CPU and
   wall time (min and median), the ratio SimPy/titr next to the goal (>= 50x in CPU time), and
   whether every wagon's door-to-door time is the same.
2. One replication of a full year of the built-in scenario's 2030 flows (assigned by
   ``titr.assign``): the engine alone, with the result tables the CLI and the web build
   (``keep_units=False``; goal < 0.1 s CPU) and with the per-unit table as well; and the year
   on the engine and on its SimPy twin (``simpy_year.py``: trains, stations, vessels, storms),
   same random inputs, unit by unit.
3. Peak memory for 2 million units (the scale-10 model), measured in a child process.

The first call of the compiled station loop (numba) in a process loads it from its on-disk
cache, or compiles it when there is none: ``--cold`` times both in fresh processes.

Usage: ``python benchmarks/bench_sim.py [--scales 1 10] [--rounds 3] [--seed 7] [--no-twin]
[--cold]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchmark_model import FerryBenchmark, benchmark_inputs, run_benchmark  # noqa: E402
from timing import LAST, interleaved, ratio_line  # noqa: E402

ENGINE_GOAL = 50.0


def ferry(scale: int, seed: int, rounds: int) -> None:
    from simpy_reference import simulate_simpy

    model = FerryBenchmark.scale(scale)
    inputs = benchmark_inputs(model, seed)
    t = interleaved({"titr": lambda: run_benchmark(model, inputs),
                     "SimPy": lambda: simulate_simpy(model, inputs)}, rounds)
    ours, theirs = LAST["titr"], LAST["SimPy"]
    done = np.isfinite(ours)
    same = bool(np.array_equal(done, np.isfinite(theirs)))
    diff = float(np.max(np.abs(ours[done] - theirs[done]))) if same and done.any() else np.nan
    print(f"scale {scale:>2}: {model.wagons_per_year:,.0f} wagons/yr, K={model.ferries}, "
          f"B={model.berths}, C={model.border_servers}; {int(done.sum()):,} wagons done in the "
          f"year; {rounds} interleaved rounds")
    print(t["titr"].line("titr engine"))
    print(t["SimPy"].line("SimPy reference"))
    print(ratio_line("SimPy / titr", t["SimPy"], t["titr"], ENGINE_GOAL))
    print(f"  same wagons done: {same}; largest per-wagon difference {diff:.3g} h")


def year_2030(rounds: int) -> None:
    import titr.sim as sim
    from titr.sim.engine import run_replication

    plan, label = scenario_plan(2030)
    units = sum(r.units_per_year for r in plan.routes)
    sim.simulate_plan(plan, 1, 7)  # warm-up: imports, first allocations
    t = interleaved({
        "engine": lambda: run_replication(plan, sim.Window(), 7, 0),
        "tables": lambda: sim.simulate_plan(plan, 1, 7, keep_units=False),
        "units": lambda: sim.simulate_plan(plan, 1, 7)}, rounds)
    res = LAST["units"]
    print(f"{label}: {len(plan.routes)} routes, {units:,.0f} units/yr, "
          f"{len(plan.lines)} sea services; one replication (30-day warm-up, 365 days, drain)")
    print(t["engine"].line("engine alone"))
    print(t["tables"].line("with its tables (as the CLI, web)", "< 0.1 s CPU"))
    print(t["units"].line("and the per-unit table too"))
    print(f"  {len(res.units):,} unit rows, {len(res.sailings):,} sailings; "
          f"conservation {'holds' if res.conservation['balanced'].all() else 'FAILS'}")


def year_twin(rounds: int) -> None:
    """The year on the engine and on its SimPy twin (``simpy_year.py``), same random inputs."""
    import titr.sim as sim
    from simpy_year import simulate_simpy
    from titr.sim.engine import run_replication

    plan, label = scenario_plan(2030)
    t = interleaved({"titr": lambda: run_replication(plan, sim.Window(), 7, 0),
                     "SimPy": lambda: simulate_simpy(plan, sim.Window(), 7, 0)}, rounds)
    ours = []
    for run in LAST["titr"].runs:
        _, exit_, _, count = run.rows()
        ours.append(np.repeat(exit_, count))  # a row is a train, or a unit after a crossing
    differ = sum(int(np.count_nonzero(~(np.isclose(a, b, rtol=1e-12, atol=1e-9)
                                         | (np.isinf(a) & np.isinf(b)))))
                 for a, b in zip(ours, LAST["SimPy"], strict=True))
    print(f"{label} on the engine and its SimPy twin (trains, stations, vessels, storms): "
          f"{sum(a.size for a in ours):,} units; {rounds} interleaved rounds")
    print(t["titr"].line("titr engine"))
    print(t["SimPy"].line("SimPy twin"))
    print(ratio_line("SimPy / titr", t["SimPy"], t["titr"], ENGINE_GOAL))
    print(f"  units whose exit time differs: {differ:,}")


def cold(rounds: int) -> None:
    """The compiled station loop's first call in a fresh process: loaded from numba's cache
    (warm disk cache) or compiled (cache emptied), next to a warm call."""
    code = ("import time, numpy as np; from titr.sim.queues import kiefer_wolfowitz as kw; "
            "a = np.cumsum(np.ones(1000)); s = np.ones(1000); t = time.process_time(); "
            "kw(a, s, 3); c1 = time.process_time() - t; t = time.process_time(); kw(a, s, 3); "
            "print(c1, time.process_time() - t)")
    for label, empty in (("first call, cache on disk", False),
                         ("first call, no cache (compiles)", True)):
        firsts, warms = [], []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                env = {"NUMBA_CACHE_DIR": tmp} if empty else {}
                out = subprocess.run([sys.executable, "-c", code], check=True,
                                     capture_output=True, text=True,
                                     env={**os.environ, **env}).stdout.split()
            firsts.append(float(out[0]))
            warms.append(float(out[1]))
        print(f"  {label:<34} CPU min {min(firsts):8.3f} s  median "
              f"{statistics.median(firsts):8.3f} s | the next call {min(warms) * 1e3:.3f} ms")


def scenario_plan(year: int):  # type: ignore[no-untyped-def]
    """The year's assigned flows of the built-in scenario as routes (uses titr.assign)."""
    import titr.model
    import titr.sim as sim
    from titr.assign.year import assign_year
    from titr.assign.year_tables import carried_paths
    from titr.model.demand import demand_rows
    from titr.sim.from_paths import path_ids, routes_from_flows

    sc = titr.model.load("middle-corridor")
    net = sc.network(year)
    rows = demand_rows(sc.demand, net.cargo, year, sc.parameters.market_scale.to("1"))
    flows = [(path_ids(p.nodes, p.edges), tonnes, p.cargo, p.corridor, f"{did}/{k}")
             for k, (p, tonnes, did, _) in enumerate(carried_paths(assign_year(net, rows)))]
    routes = routes_from_flows(net, flows)
    return sim.build_plan(net, routes), f"middle-corridor {year} (assigned flows)"


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's peak
    on Linux, where it survives fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(traced: bool) -> None:
    """Run in a fresh process: peak memory of the scale-10 model (2M wagons)."""
    model = FerryBenchmark.scale(10)
    inputs = benchmark_inputs(model, 7)
    before = peak_rss_mb()
    if traced:
        tracemalloc.start()
    run_benchmark(model, inputs)
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  traced peak of the run's allocations (numpy and Python): "
              f"{peak / 2**20:.0f} MB")
        return
    rss = peak_rss_mb()
    print(f"  process peak RSS {rss:.0f} MB (of which {before:.0f} MB before the run: "
          f"interpreter, libraries, the drawn inputs); the run added {rss - before:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", type=int, nargs="*", default=[1, 10])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-twin", action="store_true", help="skip the year's SimPy twin (slow)")
    ap.add_argument("--cold", action="store_true", help="time the compiled loop's first call")
    ap.add_argument("--memory-child", choices=["rss", "traced"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child == "traced")
        return
    print("== ferry/port/border/storm model, identical inputs ==")
    for scale in args.scales:
        ferry(scale, args.seed, args.rounds)
    print("== a year of flows ==")
    year_2030(max(args.rounds, 5))
    if not args.no_twin:
        year_twin(args.rounds)
    if args.cold:
        print("== the compiled station loop (numba): first call in a fresh process ==")
        cold(args.rounds)
    print("== memory, 2M units (scale 10), fresh process ==")
    for how in ("rss", "traced"):
        subprocess.run([sys.executable, __file__, "--memory-child", how], check=True)


if __name__ == "__main__":
    main()
