"""Benchmark: cold starts of the titr command, each in a fresh interpreter.

Goals (issue 14): `titr --help` < 0.25 s CPU, `titr validate middle-corridor` < 0.6 s CPU.
Prints CPU and wall, min and median of interleaved rounds. Not a test: it asserts nothing.

    python benchmarks/bench_startup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, run_command

TITR = [sys.executable, "-m", "titr"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    cases = {
        "python -c pass (floor)": run_command([sys.executable, "-c", "pass"]),
        "titr --help": run_command([*TITR, "--help"]),
        "titr validate middle-corridor": run_command([*TITR, "validate", "middle-corridor"]),
    }
    goals = {"titr --help": "< 0.25 s CPU", "titr validate middle-corridor": "< 0.6 s CPU"}
    print(f"cold starts, {args.rounds} interleaved rounds")
    for name, t in interleaved(cases, args.rounds).items():
        print(t.line(name, goals.get(name, "")))


if __name__ == "__main__":
    main()
