"""Lets the tests import the models kept in benchmarks/ (the perf-baselines ferry model and the
SimPy references), which are not part of the package."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
