"""Benchmark: the assessment of the built-in scenario, in-process (CPU and wall, min and median
of interleaved rounds, next to issue 14's goals). Not a test: it prints, it asserts nothing.

Cases: loading the scenario; the whole 2019–2035 horizon on a freshly loaded scenario (nothing
cached: networks, graphs, paths, LPs all built); one year; a what-if that changes one lever
from the default what-if year (re-solving only the years the lever touches, from the base
assessment, which is made before the clock starts), with and without building the changed
scenario; and a lever that applies every year (every year re-solved, graphs and paths reused
where the lever leaves them alone). The levers are those of the built-in scenario's study.
"load + assess whole horizon" is what a command pays in-process for both.

The bench keeps dozens of scenarios alive (made before the clock starts); each case starts from
a fully collected heap (off the clock), so no case pays for walking the others' objects.

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
from titr.web.levers import apply_levers, default_from_year
from titr.web.schemas import Levers

WHAT_IF = Levers(study={"kz_ferries": 12})  # one lever, from the default what-if year
EVERY_YEAR = Levers(study={"storm_events": 10.0})  # a lever that touches every year


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
    # for the what-ifs: the base scenario assessed before the clock, one per round and case
    bases = [titr.load(args.scenario) for _ in range(3 * args.rounds)]
    for b in bases:
        assess(b)
    variants = [apply_levers(b, WHAT_IF) for b in bases[:args.rounds]]

    def what_if() -> object:
        base = bases.pop()
        return assess(apply_levers(base, WHAT_IF), base=base)

    def every_year() -> object:
        base = bases.pop()
        return assess(apply_levers(base, EVERY_YEAR), base=base)

    cases = {
        "load, in-process": lambda: titr.load(args.scenario),
        "assess one year, 2030 (fresh)": lambda: assess(fresh.pop(), [2030]),
        "assess whole horizon (fresh)": lambda: assess(fresh.pop()),
        "load + assess whole horizon": lambda: assess(titr.load(args.scenario)),
        "what-if re-solve (lever applied)": lambda: assess(variants.pop(), base=bases.pop()),
        "what-if incl. applying the lever": what_if,
        "every-year lever incl. applying": every_year,
    }
    goals = {"load, in-process": "< 0.3 s", "assess whole horizon (fresh)": "< 0.25 s",
             "what-if re-solve (lever applied)": "< 0.1 s",
             "what-if incl. applying the lever": "< 0.1 s"}
    print(f"what-if: {WHAT_IF.given()} (re-solves from {default_from_year(bases[0])}); "
          f"every-year lever: {EVERY_YEAR.given()}")
    print(f"{args.scenario}: {args.rounds} interleaved rounds, in-process")
    for name, t in interleaved(cases, args.rounds, collect=True).items():
        print(t.line(name, goals.get(name, "")))


if __name__ == "__main__":
    main()
