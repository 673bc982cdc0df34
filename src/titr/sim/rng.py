"""Random streams of one replication, and the few distributions the simulation draws from.

Each replication has one root ``SeedSequence((seed, replication))`` — or, for a run of a
design point of a sweep, ``SeedSequence((seed, point, replication))``. It spawns three child
streams, one each for arrivals, service times and weather, so that common random numbers work:
changing a border's servers does not change the arrival times or the storms. Inside a child
stream, every consumer (a route's arrivals, one stage of one route, one weather area) draws from
its own sub-stream keyed by its name, so adding a route does not shift the numbers of the others.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from titr.sim.seeding import Prefix

STREAMS = ("arrivals", "service", "weather")


def key_int(key: str) -> int:
    """A stable 32-bit number for a name (crc32; the same on every machine and run)."""
    return zlib.crc32(key.encode("utf-8"))


class Streams:
    """The random streams of one replication."""

    def __init__(self, seed: int, replication: int, point: int | None = None) -> None:
        if seed < 0 or replication < 0 or (point is not None and point < 0):
            raise ValueError("seed, point and replication must not be negative")
        self.seed = seed
        self.replication = replication
        self.point = point
        entropy = (seed, replication) if point is None else (seed, point, replication)
        self.entropy = entropy
        root = np.random.SeedSequence(entropy)
        self.children: dict[str, np.random.SeedSequence] = dict(
            zip(STREAMS, root.spawn(len(STREAMS)), strict=True))
        self._shared: np.random.Generator | None = None
        self._prefixes: dict[str, Prefix] = {}

    def generator(self, stream: str, key: str) -> np.random.Generator:
        """The generator of one consumer (``key``) inside one child stream."""
        parent = self.children[stream]
        child = np.random.SeedSequence(parent.entropy,
                                       spawn_key=(*parent.spawn_key, key_int(key)))
        return np.random.default_rng(child)

    def reseeded(self, stream: str, key: str) -> np.random.Generator:
        """The numbers of :meth:`generator` (``stream``, ``key``), from this replication's one
        reused generator, set to that stream (:mod:`titr.sim.seeding`; a third of the cost of
        a new one): use it before the next call."""
        if self._shared is None:
            self._shared = np.random.Generator(np.random.PCG64(0))
            self._prefixes = {name: Prefix(self.entropy, ss.spawn_key)
                              for name, ss in self.children.items()}
        self._shared.bit_generator.state = self._prefixes[stream].pcg64_state(key_int(key))
        return self._shared


def lognormal(rng: np.random.Generator, mean: float, cv: float, size: int) -> np.ndarray:
    """``size`` lognormal draws with the given mean and coefficient of variation.

    ``cv = 0`` gives the constant ``mean`` (and draws nothing).
    """
    if mean < 0 or cv < 0:
        raise ValueError("mean and cv must not be negative")
    if cv == 0.0 or mean == 0.0:
        return np.full(size, float(mean))
    mu, sigma = _log_params(mean, cv)
    return rng.lognormal(mu, sigma, size)


@lru_cache(maxsize=1024)
def _log_params(mean: float, cv: float) -> tuple[float, float]:
    """``mu`` and ``sigma`` of the log of a lognormal with this mean and cv (a stage draws
    with the same few pairs in every replication)."""
    sigma2 = np.log1p(cv * cv)
    mu = np.log(mean) - 0.5 * sigma2
    return mu, np.sqrt(sigma2)


def lognormal_sigma_to_cv(sigma: float) -> float:
    """The coefficient of variation of a lognormal whose log has standard deviation ``sigma``."""
    return float(np.sqrt(np.expm1(sigma * sigma)))
