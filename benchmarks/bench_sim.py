"""Benchmarks of titr.sim (a script that prints; not a test, no timing assertions).

1. The ferry/port/border/storm benchmark model (``benchmark_model.py``) at scale 1 (200k
   wagons a year) and scale 10 (2M): titr's engine and the SimPy reference
   (``simpy_reference.py``) on the same random inputs, in interleaved rounds. Prints CPU and
   wall time (min and median), the ratio SimPy/titr next to the goal (>= 50x in CPU time), and
   whether every wagon's door-to-door time is the same.
2. One replication of a full year of the built-in scenario's 2030 flows (assigned by
   ``titr.assign``): the engine alone and with all its result tables (goal < 0.1 s CPU); and
   the year's land routes on the engine and on their SimPy twin (``simpy_year.py``), same
   random inputs, train by train.
3. Peak memory for 2 million units (the scale-10 model), measured in a child process.

Usage: ``python benchmarks/bench_sim.py [--scales 1 10] [--rounds 3] [--seed 7]``
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
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
    t = interleaved({"engine": lambda: run_replication(plan, sim.Window(), 7, 0),
                     "with tables": lambda: sim.simulate_plan(plan, 1, 7)}, rounds)
    res = LAST["with tables"]
    print(f"{label}: {len(plan.routes)} routes, {units:,.0f} units/yr, "
          f"{len(plan.lines)} sea services; one replication (30-day warm-up, 365 days, drain)")
    print(t["engine"].line("engine alone"))
    print(t["with tables"].line("with all result tables", "< 0.1 s CPU"))
    print(f"  {len(res.units):,} unit rows, {len(res.sailings):,} sailings; "
          f"conservation {'holds' if res.conservation['balanced'].all() else 'FAILS'}")
    land_twin(plan, rounds)


def land_twin(plan, rounds: int) -> None:  # type: ignore[no-untyped-def]
    import titr.sim as sim
    from simpy_year import land_plan, simulate_simpy
    from titr.sim.engine import run_replication

    land = land_plan(plan)
    t = interleaved({"titr": lambda: run_replication(land, sim.Window(), 7, 0),
                     "SimPy": lambda: simulate_simpy(land, sim.Window(), 7, 0)}, rounds)
    ours = [run.rows()[1] for run in LAST["titr"].runs]
    same = all(np.allclose(a, b, rtol=1e-12, atol=1e-9)
               for a, b in zip(ours, LAST["SimPy"], strict=True))
    print(f"the year's land routes ({len(land.routes)} routes, "
          f"{sum(a.size for a in ours):,} trains): engine and its SimPy twin")
    print(t["titr"].line("titr engine"))
    print(t["SimPy"].line("SimPy twin"))
    print(ratio_line("SimPy / titr", t["SimPy"], t["titr"], ENGINE_GOAL))
    print(f"  every train's exit time the same: {same}")


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
    print("== memory, 2M units (scale 10), fresh process ==")
    for how in ("rss", "traced"):
        subprocess.run([sys.executable, __file__, "--memory-child", how], check=True)


if __name__ == "__main__":
    main()
