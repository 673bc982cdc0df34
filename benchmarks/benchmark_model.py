"""The perf-baselines benchmark model (section A) as a titr plan, and its random inputs.

Wagons arrive at Aktau as a Poisson process; K ferries of 50 wagons share B berths (FIFO),
depart when at least 25 wagons wait (FIFO among ferries), load 0.5 + 0.05 n h, keep the berth
while a storm is on, sail 18 h to Alat, unload 0.5 + 0.05 n h, wait out any storm and sail
back. Storms: exponential gaps (mean 240 h) and durations (mean 36 h). At Alat the wagons pass
a border of C servers, one FIFO queue, lognormal service (mean 0.1 h, σ = 0.5). Output:
door-to-door time = border exit − arrival, for wagons done within the year.

:func:`benchmark_inputs` draws the three random streams once, so the titr engine and a SimPy
reference model (``benchmarks/simpy_reference.py``) can be fed identical inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from titr.sim.calendar import Closures, WeatherSpec
from titr.sim.engine import run_replication
from titr.sim.plan import FleetSpec, Plan, SeaLine
from titr.sim.rng import Streams, lognormal_sigma_to_cv
from titr.sim.stages import Route, Sea, Server
from titr.sim.stats import Window


@dataclass(frozen=True)
class FerryBenchmark:
    wagons_per_year: float = 200_000.0
    ferries: int = 30
    berths: int = 2
    border_servers: int = 3
    capacity: int = 50
    min_load: int = 25
    sail_h: float = 18.0
    load_fixed_h: float = 0.5
    load_per_wagon_h: float = 0.05
    storm_gap_h: float = 240.0
    storm_mean_h: float = 36.0
    border_mean_h: float = 0.1
    border_sigma: float = 0.5
    horizon_h: float = 8760.0

    @classmethod
    def scale(cls, k: int, **changes: Any) -> FerryBenchmark:
        """Scale 1: 200k wagons/yr, K=30, B=2, C=3; scale 10: 2M/yr, K=300, B=20, C=30."""
        base = cls(wagons_per_year=200_000.0 * k, ferries=30 * k, berths=2 * k,
                   border_servers=3 * k)
        return replace(base, **changes)


@dataclass(frozen=True)
class BenchmarkInputs:
    """The random inputs: wagon arrivals as gaps, border service per wagon, storm episodes.

    Times are built by adding the gaps one after another (as an event loop does), so an engine
    that advances its clock by the gaps reaches the very same floats.
    """

    arrival_gaps: np.ndarray
    border_service: np.ndarray
    storm_gaps: np.ndarray
    storm_durations: np.ndarray

    @property
    def arrivals(self) -> np.ndarray:
        return np.cumsum(self.arrival_gaps)

    def storms(self) -> tuple[np.ndarray, np.ndarray]:
        """Storm (starts, ends): gap, storm, gap, storm … from t = 0."""
        steps = np.empty(2 * self.storm_gaps.size)
        steps[0::2] = self.storm_gaps
        steps[1::2] = self.storm_durations
        times = np.cumsum(steps)
        return times[0::2], times[1::2]


def benchmark_inputs(model: FerryBenchmark, seed: int, replication: int = 0
                     ) -> BenchmarkInputs:
    streams = Streams(seed, replication)
    rng = streams.generator("arrivals", "wagons")
    mean_gap = model.horizon_h / model.wagons_per_year
    n = int(model.wagons_per_year * 1.05 + 100)
    gaps = rng.exponential(mean_gap, n)
    gaps = gaps[: int(np.searchsorted(np.cumsum(gaps), model.horizon_h))]
    rng = streams.generator("service", "border")
    sigma = model.border_sigma
    service = rng.lognormal(np.log(model.border_mean_h) - sigma * sigma / 2, sigma, gaps.size)
    rng = streams.generator("weather", "caspian")
    k = int(model.horizon_h / (model.storm_gap_h + model.storm_mean_h) * 2 + 50)
    sg = rng.exponential(model.storm_gap_h, k)
    sd = rng.exponential(model.storm_mean_h, k)
    return BenchmarkInputs(gaps, service, sg, sd)


def benchmark_plan(model: FerryBenchmark) -> Plan:
    fleet = FleetSpec("ferries", model.ferries, float(model.capacity), model.sail_h,
                      model.load_fixed_h, model.load_per_wagon_h, "wagon")
    line = SeaLine("aktau-alat", "aktau", "alat", 18.0 * model.sail_h, (fleet,),
                   min_load=model.min_load / model.capacity, bidirectional=False,
                   weather=("caspian",))
    border = Server("alat", "border", model.border_mean_h,
                    lognormal_sigma_to_cv(model.border_sigma), model.border_servers,
                    per="unit")
    route = Route("wagons", (Sea("aktau-alat"), border), model.wagons_per_year,
                  cargo="wagon", corridor="benchmark", unit="wagon")
    return Plan((route,), {"aktau-alat": line}, {"aktau": model.berths, "alat": None},
                {"caspian": WeatherSpec()}, {(0, 0): (1.0,)})


def benchmark_fixed(inputs: BenchmarkInputs) -> dict[Any, Any]:
    return {("arrivals", "wagons"): inputs.arrivals,
            ("stage", "wagons", 1): inputs.border_service,
            ("weather", "caspian"): Closures(*inputs.storms())}


def run_benchmark(model: FerryBenchmark, inputs: BenchmarkInputs) -> np.ndarray:
    """Door-to-door hours per wagon (in arrival order); NaN for wagons not done in the year."""
    window = Window(warmup_h=0.0, year_h=model.horizon_h, drain_h=0.0)
    raw = run_replication(benchmark_plan(model), window, 0, 0, benchmark_fixed(inputs))
    enter, exit_, _, _ = raw.runs[0].rows()
    return np.where(exit_ < model.horizon_h, exit_ - enter, np.nan)
