"""titr's engine and a SimPy twin of the built-in scenario's year (its land routes: trains
through legs, dwells, shared borders and gauge changes), fed the same random inputs, give
every train the same exit time — on a reduced year (10 days' warm-up, 30 days, 20 to drain)."""

from __future__ import annotations

import numpy as np

import benchmarks_support  # noqa: F401  (puts benchmarks/ on the path)
from bench_sim import scenario_plan
from simpy_year import land_plan, simulate_simpy
from titr.sim.engine import run_replication
from titr.sim.stages import Server
from titr.sim.stats import Window


def test_engine_and_simpy_twin_agree_train_by_train() -> None:
    plan = land_plan(scenario_plan(2030)[0])
    window = Window(10 * 24.0, 30 * 24.0, 20 * 24.0)
    limited = {s.key for r in plan.routes for s in r.stages
               if isinstance(s, Server) and s.servers is not None}
    assert len(plan.routes) >= 10 and limited  # shared stations with limited servers
    raw = run_replication(plan, window, 7, 0)
    twin = simulate_simpy(plan, window, 7, 0)
    trains = 0
    for run, theirs in zip(raw.runs, twin, strict=True):
        _, ours, _, _ = run.rows()
        assert ours.size == theirs.size
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-9)
        trains += ours.size
    assert trains > 1000
