"""titr's engine and a SimPy twin of the built-in scenario's year (trains through legs, dwells,
shared borders and gauge changes; units through port queues, berths, ferries, feeders and
tankers in storms), fed the same random inputs, give every unit the same exit time — on a
reduced year (10 days' warm-up, 30 days, 20 to drain)."""

from __future__ import annotations

import numpy as np

import benchmarks_support  # noqa: F401  (puts benchmarks/ on the path)
from bench_sim import scenario_plan
from simpy_year import simulate_simpy
from titr.sim.engine import run_replication
from titr.sim.stages import Sea, Server
from titr.sim.stats import Window


def test_engine_and_simpy_twin_agree_unit_by_unit() -> None:
    plan = scenario_plan(2030)[0]
    window = Window(10 * 24.0, 30 * 24.0, 20 * 24.0)
    limited = {s.key for r in plan.routes for s in r.stages
               if isinstance(s, Server) and s.servers is not None}
    assert len(plan.routes) >= 10 and limited  # shared stations with limited servers
    assert len(plan.lines) >= 5 and any(b for b in plan.berths.values())  # shared berths
    raw = run_replication(plan, window, 7, 0)
    twin = simulate_simpy(plan, window, 7, 0)
    crossed = 0
    for run, theirs in zip(raw.runs, twin, strict=True):
        _, exit_, _, count = run.rows()
        ours = np.repeat(exit_, count)  # a row is a train, or a unit after a crossing
        assert ours.size == theirs.size
        assert np.array_equal(np.isfinite(ours), np.isfinite(theirs))
        done = np.isfinite(ours)
        np.testing.assert_allclose(ours[done], theirs[done], rtol=1e-12, atol=1e-9)
        if any(isinstance(s, Sea) for s in run.route.stages):
            crossed += int(done.sum())
    assert crossed > 10_000  # units that crossed the sea, unit by unit
    assert sum(int(out.sailings["units"].sum()) for _, out in raw.sea) > 10_000
