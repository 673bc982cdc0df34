"""Benchmark: the whole 2019–2035 horizon of the built-in scenario (issue 3's goal: < 1 s on
one core). Prints wall time split into network building, path search, LP build, LP solve and
the rest (route choice rounds, tables). Not a test: it prints, it asserts nothing.

    python benchmarks/bench_assess.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import titr
from titr.assign import assess
from titr.assign import candidates as cand_mod


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scenario", default="middle-corridor")
    args = ap.parse_args()

    path_time = [0.0]
    original = cand_mod.commodities

    def timed(*a, **k):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            path_time[0] += time.perf_counter() - t

    cand_mod.commodities = timed  # type: ignore[assignment]
    import titr.assign.year as year_mod

    year_mod.commodities = timed  # type: ignore[attr-defined]
    assess(titr.load(args.scenario), [2019])  # warm-up: imports, solver start
    walls, builds, solves, paths, nets = [], [], [], [], []
    from titr.routing import graph as graph_mod
    from titr.routing import paths as paths_mod

    for _ in range(args.repeat):
        # as a fresh process would: no cached legs or path searches from the run before
        graph_mod._LEGS.clear()
        paths_mod._SEARCHES.clear()
        sc = titr.load(args.scenario)  # fresh: no cached networks
        t0 = time.perf_counter()
        for y in sc.years:
            sc.network(y)
        nets.append(time.perf_counter() - t0)
        path_time[0] = 0.0
        res = assess(sc)
        walls.append(time.perf_counter() - t0)
        builds.append(res.meta["lp_build_s"])
        solves.append(res.meta["lp_solve_s"])
        paths.append(path_time[0])
    med = statistics.median
    years = len(res.totals)
    rounds = int(res.totals.iterations.sum())
    print(f"scenario {args.scenario}: {years} years, {rounds} route-choice rounds, "
          f"median of {args.repeat} runs")
    print(f"  whole horizon      {med(walls):7.3f} s   (goal < 1 s on one core)")
    print(f"  networks by year   {med(nets):7.3f} s")
    print(f"  path search        {med(paths):7.3f} s")
    print(f"  LP build           {med(builds):7.3f} s")
    print(f"  LP solve           {med(solves):7.3f} s   ({rounds} solves, warm-started)")
    rest = med(walls) - med(nets) - med(paths) - med(builds) - med(solves)
    print(f"  rest (route choice, tables) {rest:7.3f} s")


if __name__ == "__main__":
    main()
