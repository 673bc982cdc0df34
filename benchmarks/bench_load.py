"""Benchmark: loading the built-in scenario and assessing it (CPU and wall, min and median of
interleaved rounds). Not a test: it prints, it asserts nothing.

Goals (issue 14): loading < 0.3 s; the whole 2019–2035 horizon < 0.25 s in-process; one year
for comparison. "cold" runs in a fresh interpreter (imports included).

    python benchmarks/bench_load.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import titr
from timing import interleaved, run_command

SCENARIO = "middle-corridor"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from titr.assign import assess

    assess(titr.load(SCENARIO), [2030])  # warm-up: imports, solver start
    # freshly loaded scenarios (no cached networks), loaded before the clock starts
    fresh = [titr.load(SCENARIO) for _ in range(2 * args.rounds)]
    cases = {
        "load, cold process (imports too)": run_command(
            [sys.executable, "-c", f"import titr; titr.load({SCENARIO!r})"]),
        "load, in-process": lambda: titr.load(SCENARIO),
        "assess 2030 (fresh scenario)": lambda: assess(fresh.pop(), [2030]),
        "assess 2019-2035 (fresh scenario)": lambda: assess(fresh.pop()),
    }
    goals = {"load, in-process": "< 0.3 s", "assess 2019-2035 (fresh scenario)": "< 0.25 s"}
    print(f"{SCENARIO}: {args.rounds} interleaved rounds")
    for name, t in interleaved(cases, args.rounds).items():
        print(t.line(name, goals.get(name, "")))


if __name__ == "__main__":
    main()
