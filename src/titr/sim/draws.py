"""The random inputs of one replication, drawn from keyed streams or given by the caller.

Every random number the engine uses comes from here: unit arrival times per route, one value
per customer (a train, or a unit) per stage, and closure calendars per weather area. Passing
``fixed`` replaces any of them with given arrays, which is how a test feeds the same inputs to
titr and to a SimPy reference model:

- ``("arrivals", route_id)`` → sorted arrival times (hours) of the route's trains of ``batch``
  units (of single units when ``batch`` is 1);
- ``("stage", route_id, stage_index)`` → one value per customer index (a service time for a
  :class:`~titr.sim.stages.Server` or :class:`~titr.sim.stages.Dwell`, a travel time for a
  :class:`~titr.sim.stages.Haul`), indexed by group or, for ``per="unit"`` servers, by unit;
- ``("weather", area_id)`` → a :class:`~titr.sim.calendar.Closures`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

from titr.model.units import HOURS_PER_YEAR
from titr.sim.calendar import MONTH_START_H, Closures, WeatherSpec, weather_closures
from titr.sim.rng import Streams, lognormal
from titr.sim.stages import Dwell, Haul, Route, Server, Stage
from titr.sim.stats import Window


class Draws:
    def __init__(self, streams: Streams, window: Window,
                 fixed: Mapping[Hashable, Any] | None = None) -> None:
        self.streams = streams
        self.window = window
        self.fixed = dict(fixed or {})

    def arrivals(self, route: Route) -> np.ndarray:
        """Arrival times of the route's trains at the origin over ``[0, window.end)``, sorted.

        Trains of ``route.batch`` units arrive as a Poisson process; with ``seasonality`` the
        rate of each calendar month is scaled by its factor (by thinning).
        """
        key = ("arrivals", route.id)
        if key in self.fixed:
            return np.asarray(self.fixed[key], float)
        end = self.window.end
        rate = route.units_per_year / route.batch / HOURS_PER_YEAR  # trains per hour
        if rate <= 0:
            return np.empty(0)
        rng = self.streams.reseeded("arrivals", route.id)
        peak = max(route.seasonality) if route.seasonality else 1.0
        lam = rate * peak
        n = int(lam * end + 10.0 * np.sqrt(lam * end) + 20)
        times = np.cumsum(rng.exponential(1.0 / lam, n))
        while times[-1] < end:  # pragma: no cover - the margin makes this very unlikely
            times = np.concatenate([times, times[-1] + np.cumsum(rng.exponential(1 / lam, n))])
        times = times[times < end]
        if route.seasonality:
            factors = np.asarray(route.seasonality, float) / peak
            hour = np.mod(times - self.window.start, HOURS_PER_YEAR)
            month = np.searchsorted(MONTH_START_H, hour, side="right") - 1
            times = times[rng.random(times.size) < factors[np.clip(month, 0, 11)]]
        return times

    def stage(self, route: Route, j: int, stage: Stage, size: int) -> np.ndarray:
        """``size`` values for stage ``j`` of ``route``: one per customer index."""
        key = ("stage", route.id, j)
        if key in self.fixed:
            values = np.asarray(self.fixed[key], float)
            if values.size < size:
                raise ValueError(f"fixed input {key} has {values.size} values, needs {size}")
            return values[:size]
        if size == 0:  # nobody to draw for: no stream needed (making one is not free)
            return np.empty(0)
        if isinstance(stage, Haul):
            if stage.speed_cv == 0.0:  # a constant: no stream needed (making one is not free)
                return np.full(size, stage.distance_km / stage.speed_kmh)
            rng = self.streams.reseeded("service", f"{route.id}/{j}")
            speed = lognormal(rng, stage.speed_kmh, stage.speed_cv, size)
            return stage.distance_km / speed
        if isinstance(stage, (Dwell, Server)):
            if stage.cv == 0.0 or stage.mean_h == 0.0:
                return np.full(size, float(stage.mean_h))
            rng = self.streams.reseeded("service", f"{route.id}/{j}")
            return lognormal(rng, stage.mean_h, stage.cv, size)
        raise TypeError(f"stage {stage!r} draws nothing")

    def weather(self, area: str, spec: WeatherSpec) -> Closures:
        key = ("weather", area)
        if key in self.fixed:
            value = self.fixed[key]
            return value if isinstance(value, Closures) else Closures(*value)
        rng = self.streams.reseeded("weather", area)
        return weather_closures(spec, rng, self.window.start, self.window.stop)
