"""Benchmark: the assessment of the built-in scenario, in-process (CPU and wall, min and median
of interleaved rounds, next to issue 14's goals). Not a test: it prints, it asserts nothing.

Cases: loading the scenario; the whole 2019–2035 horizon on a freshly loaded scenario (nothing
cached: networks, graphs, paths, LPs all built); one year; a what-if that changes one lever
(re-solving only the years the lever touches, from the base assessment).

    python benchmarks/bench_assess.py [--rounds 5] [--scenario middle-corridor] [--profile 2030]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import titr
from timing import interleaved


def profile_year(scenario: str, year: int) -> None:
    """cProfile of one year's assessment on a fresh scenario (the top 25 by cumulative time)."""
    from titr.assign import assess

    sc = titr.load(scenario)
    prof = cProfile.Profile()
    prof.enable()
    assess(sc, [year])
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scenario", default="middle-corridor")
    ap.add_argument("--profile", type=int, default=None, help="profile one year and stop")
    args = ap.parse_args()
    from titr.assign import assess

    assess(titr.load(args.scenario), [2030])  # warm-up: imports, solver start
    if args.profile is not None:
        profile_year(args.scenario, args.profile)
        return
    # freshly loaded scenarios (nothing cached), loaded before the clock starts
    fresh = [titr.load(args.scenario) for _ in range(2 * args.rounds)]
    cases = {
        "load, in-process": lambda: titr.load(args.scenario),
        "assess one year, 2030 (fresh)": lambda: assess(fresh.pop(), [2030]),
        "assess whole horizon (fresh)": lambda: assess(fresh.pop()),
    }
    goals = {"load, in-process": "< 0.3 s", "assess whole horizon (fresh)": "< 0.25 s"}
    print(f"{args.scenario}: {args.rounds} interleaved rounds, in-process")
    for name, t in interleaved(cases, args.rounds).items():
        print(t.line(name, goals.get(name, "")))


if __name__ == "__main__":
    main()
