"""SimPy reference implementation of the perf-baselines model (perf-baselines.md, section A).

Wagons arrive at Aktau (Poisson); K ferries of 50 wagons take 1 of B berths (FIFO); wait until
the port queue holds >= 25 wagons (FIFO among ferries); take n = min(queue, 50); load
0.5 + 0.05 n h; if a storm is on, keep the berth until it ends; release the berth; sail 18 h to
Alat; unload 0.5 + 0.05 n h (the n wagons go to the border); wait out any storm; sail 18 h back.
The border has C parallel servers with one FIFO queue. Door-to-door = border exit − arrival.

It consumes the same random inputs as titr's engine (``benchmark_model.py`` beside it): arrival
gaps, border service time per wagon and storm gaps/durations, so both can be compared wagon by
wagon. Run it as a script to time it: ``python benchmarks/simpy_reference.py [scale]``.
"""

from __future__ import annotations

import sys
import time
from collections import deque

import numpy as np
import simpy

from benchmark_model import BenchmarkInputs, FerryBenchmark, benchmark_inputs


def simulate_simpy(m: FerryBenchmark, inp: BenchmarkInputs) -> np.ndarray:
    """Door-to-door hours per wagon (in arrival order); NaN for wagons not done in the year."""
    env = simpy.Environment()
    berths = simpy.Resource(env, capacity=m.berths)
    line = simpy.Resource(env, capacity=1)  # ferries wait for cargo one at a time, FIFO
    border = simpy.Resource(env, capacity=m.border_servers)
    queue: deque[int] = deque()
    arrived_at = np.full(inp.arrival_gaps.size, np.nan)
    exit_at = np.full(inp.arrival_gaps.size, np.nan)
    state = {"arrival": env.event(), "storm": False, "calm": env.event()}

    def wagons():
        for w, gap in enumerate(inp.arrival_gaps.tolist()):
            yield env.timeout(gap)
            arrived_at[w] = env.now
            queue.append(w)
            ev, state["arrival"] = state["arrival"], env.event()
            ev.succeed()

    def storms():
        for gap, length in zip(inp.storm_gaps.tolist(), inp.storm_durations.tolist(),
                               strict=True):
            yield env.timeout(gap)
            state["storm"] = True
            yield env.timeout(length)
            state["storm"] = False
            ev, state["calm"] = state["calm"], env.event()
            ev.succeed()

    service = inp.border_service.tolist()

    def cross_border(w: int):
        with border.request() as req:
            yield req
            yield env.timeout(service[w])
        exit_at[w] = env.now

    def ferry():
        while True:
            with berths.request() as berth:
                yield berth
                with line.request() as turn:
                    yield turn
                    while len(queue) < m.min_load:
                        yield state["arrival"]
                    n = min(len(queue), m.capacity)
                    load = [queue.popleft() for _ in range(n)]
                yield env.timeout(m.load_fixed_h + m.load_per_wagon_h * n)
                if state["storm"]:
                    yield state["calm"]
            yield env.timeout(m.sail_h)
            yield env.timeout(m.load_fixed_h + m.load_per_wagon_h * n)
            for w in load:
                env.process(cross_border(w))
            if state["storm"]:
                yield state["calm"]
            yield env.timeout(m.sail_h)

    env.process(wagons())
    env.process(storms())
    for _ in range(m.ferries):
        env.process(ferry())
    env.run(until=m.horizon_h)
    return exit_at - arrived_at


def main() -> None:
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    model = FerryBenchmark.scale(scale)
    inputs = benchmark_inputs(model, seed=7)
    t0 = time.perf_counter()
    d2d = simulate_simpy(model, inputs)
    wall = time.perf_counter() - t0
    done = d2d[np.isfinite(d2d)]
    print(f"SimPy scale {scale}: {wall:.2f} s, {done.size} wagons done, "
          f"mean {done.mean():.3f} h, p90 {np.quantile(done, 0.9):.3f} h")


if __name__ == "__main__":
    main()
