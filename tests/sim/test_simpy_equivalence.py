"""titr's engine and a SimPy reference of the perf-baselines model, fed identical inputs, give
identical per-wagon door-to-door times."""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np
import pytest

import benchmarks_support  # noqa: F401  (puts benchmarks/ on the path)
from benchmark_model import FerryBenchmark, benchmark_inputs, run_benchmark


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    return importlib.import_module("simpy_reference")


CASES = {
    # the benchmark's scale 1 over its first 1,500 hours
    "scale-1": (FerryBenchmark.scale(1, horizon_h=1500.0), 1),
    # few ferries, one berth, frequent storms: berth queues and storm holds at both ports
    "stormy": (FerryBenchmark(wagons_per_year=40_000.0, ferries=6, berths=1, border_servers=2,
                              storm_gap_h=40.0, storm_mean_h=20.0, horizon_h=3000.0), 2),
    # a border that is the bottleneck (one server)
    "border": (FerryBenchmark(wagons_per_year=60_000.0, ferries=10, berths=3, border_servers=1,
                              border_mean_h=0.14, horizon_h=2000.0), 3),
}


@pytest.mark.parametrize("case", list(CASES))
def test_identical_per_wagon_times(reference: ModuleType, case: str) -> None:
    model, seed = CASES[case]
    inputs = benchmark_inputs(model, seed)
    ours = run_benchmark(model, inputs)
    theirs = reference.simulate_simpy(model, inputs)
    done = np.isfinite(theirs)
    assert done.sum() > 1000
    assert np.array_equal(np.isfinite(ours), done)  # the same wagons are done in the year
    np.testing.assert_allclose(ours[done], theirs[done], rtol=1e-12, atol=1e-9)
    assert np.mean(ours[done]) > 0
