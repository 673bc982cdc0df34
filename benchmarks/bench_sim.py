"""Benchmarks of titr.sim (a script that prints; not a test, no timing assertions).

1. The perf-baselines ferry/port/border/storm model (perf-baselines.md, section A) at scale 1
   (200k wagons a year) and scale 10 (2M): titr's engine and the SimPy reference
   (``simpy_reference.py``) on the same random inputs. Prints wall times, the throughput ratio
   titr/SimPy, and the relative difference in mean and p90 door-to-door time.
2. One replication of a full year of the built-in scenario's 2030 flows (assigned by
   ``titr.assign``), or of a synthetic corridor of similar size if that scenario is missing.
3. Peak memory for 2 million units (the scale-10 model), measured in a child process.

Usage: ``python benchmarks/bench_sim.py [--scales 1 10] [--repeats 3] [--seed 7]``
Goals: >= 20x SimPy throughput with mean and p90 within 2 %; a year of 2030 flows < 0.5 s on
one core; < 1 GB for 2M units.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from titr.sim.benchmark_model import FerryBenchmark, benchmark_inputs, run_benchmark

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def best_of(repeats: int, fn, *args):  # type: ignore[no-untyped-def]
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def ferry(scale: int, seed: int, repeats: int, simpy_repeats: int) -> None:
    from simpy_reference import simulate_simpy

    model = FerryBenchmark.scale(scale)
    inputs = benchmark_inputs(model, seed)
    t_titr, ours = best_of(repeats, run_benchmark, model, inputs)
    t_simpy, theirs = best_of(simpy_repeats, simulate_simpy, model, inputs)
    a, b = ours[np.isfinite(ours)], theirs[np.isfinite(theirs)]
    same = np.array_equal(np.isfinite(ours), np.isfinite(theirs))
    both = np.isfinite(ours) & np.isfinite(theirs)
    diff = float(np.max(np.abs(ours[both] - theirs[both]))) if both.any() else np.nan

    def rel(x: float, y: float) -> str:
        return f"{(x - y) / y * 100:+.4f} %"

    print(f"scale {scale:>2}: {model.wagons_per_year:,.0f} wagons/yr, K={model.ferries}, "
          f"B={model.berths}, C={model.border_servers}; {a.size:,} wagons done in the year")
    print(f"  titr  {t_titr:8.3f} s (best of {repeats})   SimPy {t_simpy:8.2f} s "
          f"(best of {simpy_repeats})   throughput ratio titr/SimPy = {t_simpy / t_titr:6.1f}x")
    print(f"  mean  titr {a.mean():.4f} h  SimPy {b.mean():.4f} h  ({rel(a.mean(), b.mean())})")
    qa, qb = np.quantile(a, 0.9), np.quantile(b, 0.9)
    print(f"  p90   titr {qa:.4f} h  SimPy {qb:.4f} h  ({rel(qa, qb)})")
    print(f"  same wagons done: {same}; largest per-wagon difference {diff:.3g} h")


def year_2030(repeats: int) -> None:
    import titr.sim as sim
    from titr.sim.engine import run_replication

    try:
        plan, label = scenario_plan(2030)
    except Exception as e:  # fall back to a synthetic corridor, and say why
        print(f"  (built-in scenario unavailable: {e}; using a synthetic corridor)")
        plan, label = synthetic_plan()
    units = sum(r.units_per_year for r in plan.routes)
    t_engine, _ = best_of(repeats, run_replication, plan, sim.Window(), 7, 0)
    t_full, res = best_of(repeats, sim.simulate_plan, plan, 1, 7)
    print(f"{label}: {len(plan.routes)} routes, {units:,.0f} units/yr, "
          f"{len(plan.lines)} sea services")
    print(f"  one replication (30-day warm-up, 365 days, drain): engine {t_engine:.3f} s, "
          f"with all result tables {t_full:.3f} s (best of {repeats})")
    print(f"  {len(res.units):,} unit rows, {len(res.sailings):,} sailings; "
          f"conservation {'holds' if res.conservation['balanced'].all() else 'FAILS'}")


def scenario_plan(year: int):  # type: ignore[no-untyped-def]
    """The year's assigned flows of the built-in scenario as routes (uses titr.assign)."""
    import titr.model
    import titr.sim as sim
    from titr.assign.tables import carried_paths
    from titr.assign.year import assign_year
    from titr.model.demand import demand_rows
    from titr.sim.paths import path_ids, routes_from_flows

    sc = titr.model.load("middle-corridor")
    net = sc.network(year)
    rows = demand_rows(sc.demand, net.cargo, year, sc.parameters.market_scale.to("1"))
    flows = [(path_ids(p.nodes, p.edges), tonnes, p.cargo, p.corridor, f"{did}/{k}")
             for k, (p, tonnes, did, _) in enumerate(carried_paths(assign_year(net, rows)))]
    routes = routes_from_flows(net, flows)
    return sim.build_plan(net, routes), f"middle-corridor {year} (assigned flows)"


def synthetic_plan():  # type: ignore[no-untyped-def]
    """A corridor of similar size (1.8M TEU a year in trains of 100): 30 routes through a
    border and a gauge change; 10 of them cross the sea on two ferry lines."""
    from titr.sim import Dwell, FleetSpec, Leg, Plan, Route, Sea, SeaLine, Server, WeatherSpec
    from titr.sim.calendar import StormSpec

    lines = {f"ferry-{k}": SeaLine(f"ferry-{k}", f"east-{k}", "west", 400.0,
                                   (FleetSpec.from_port_time("f", 8, 100.0, 20.0, 12.0, "TEU"),),
                                   min_load=0.6, weather=("caspian",)) for k in range(2)}
    routes = []
    for k in range(30):
        sea = k < 10
        stages = [Leg("l1", 2000.0, 45.0, 0.15), Server("dostyk", "border", 30.0, 0.5, 90),
                  Server("dostyk", "gauge", 4.0, 0.3, 15), Leg("l2", 1500.0, 45.0, 0.15)]
        if sea:
            stages += [Dwell("port", 12.0, 0.5), Sea(f"ferry-{k % 2}"), Leg("l3", 900.0, 40.0)]
        routes.append(Route(f"r{k}", tuple(stages), 10_000.0 if sea else 85_000.0, "container",
                            "middle" if sea else "northern", batch=100))
    shares = {(i, j): (1.0,) for i, r in enumerate(routes) for j, s in enumerate(r.stages)
              if isinstance(s, Sea)}
    weather = {"caspian": WeatherSpec(StormSpec(25.0, 30.0))}
    berths = {"west": 4, "east-0": 2, "east-1": 2}
    return Plan(tuple(routes), lines, berths, weather, shares), "synthetic corridor"


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
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--memory-child", choices=["rss", "traced"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child == "traced")
        return
    print("== ferry/port/border/storm model, identical inputs ==")
    for scale in args.scales:
        ferry(scale, args.seed, args.repeats, 2 if scale <= 1 else 1)
    print("== a year of flows ==")
    year_2030(args.repeats)
    print("== memory, 2M units (scale 10), fresh process ==")
    for how in ("rss", "traced"):
        subprocess.run([sys.executable, __file__, "--memory-child", how], check=True)


if __name__ == "__main__":
    main()
