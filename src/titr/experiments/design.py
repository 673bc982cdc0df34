"""Design points: every combination (full factorial), a Latin hypercube, or Monte Carlo draws.

A point is a mapping parameter label → value (a factor for ``relative`` parameters). Points are
numbered from 0 in a fixed order, and sampled designs draw from their own random stream
(``SeedSequence(seed, spawn_key=(DESIGN_KEY,))``, apart from the simulation's
``(seed, point, replication)`` streams), so the same file and seed always give the same points.

- ``full-factorial``: every combination of each parameter's values (a range gives ``levels``
  even steps from low to high); the first parameter varies slowest.
- ``latin-hypercube``: ``points`` points; each parameter's range is cut into ``points`` equal
  strata and each stratum is used once (a value list is cut the same way, by position).
  The hypercube is SciPy's (``scipy.stats.qmc.LatinHypercube``, a random point in each cell,
  drawn from the design's stream).
- ``monte-carlo``: ``points`` independent uniform draws (a value list: each value equally likely).

Integer parameters (``integer = true``) are rounded to whole numbers.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.stats import qmc

from titr.experiments.spec import Experiment, Parameter, Value

DESIGN_KEY = 0xD5


def levels(p: Parameter) -> list[Value]:
    """The values a full-factorial design takes for one parameter."""
    if p.values is not None:
        return list(dict.fromkeys(p.values))
    assert p.low is not None and p.high is not None and p.levels is not None
    steps = np.linspace(p.low, p.high, p.levels)
    out: list[Value] = [round(float(x)) if p.integer else float(x) for x in steps]
    return list(dict.fromkeys(out))


def size(exp: Experiment) -> int:
    """The number of design points (computed without building them)."""
    if exp.design == "full-factorial":
        return math.prod(len(levels(p)) for p in exp.parameters)
    assert exp.points is not None
    return exp.points


def points(exp: Experiment) -> list[dict[str, Value]]:
    """The design points, in order (point id = position)."""
    if exp.design == "full-factorial":
        combos = itertools.product(*(levels(p) for p in exp.parameters))
        return [dict(zip(exp.labels, c, strict=True)) for c in combos]
    assert exp.points is not None
    n, k = exp.points, len(exp.parameters)
    rng = np.random.default_rng(np.random.SeedSequence(exp.seed, spawn_key=(DESIGN_KEY,)))
    if exp.design == "latin-hypercube":
        u = qmc.LatinHypercube(d=k, rng=rng).random(n)
    else:
        u = rng.random((n, k))
    return [{p.label: _at(p, float(u[i, j])) for j, p in enumerate(exp.parameters)}
            for i in range(n)]


def _at(p: Parameter, u: float) -> Value:
    """The value at quantile ``u`` in [0, 1) of a parameter's range or list."""
    if p.values is not None:
        return p.values[min(int(u * len(p.values)), len(p.values) - 1)]
    assert p.low is not None and p.high is not None
    x = p.low + u * (p.high - p.low)
    return round(x) if p.integer else x
