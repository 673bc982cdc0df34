"""The reused generator of a replication draws NumPy's own numbers (titr.sim.seeding)."""

from __future__ import annotations

import numpy as np
import pytest

from titr.sim.rng import STREAMS, Streams, key_int
from titr.sim.seeding import Prefix

KEYS = ["", "a", "wagons", "caspian", "route-1/3", "x" * 200, "Ürümqi/0",
        *(f"r{i}/{j}" for i in range(40) for j in range(5))]


@pytest.mark.parametrize(("seed", "replication", "point"),
                         [(7, 0, None), (0, 0, None), (7, 3, 5), (2**40 + 3, 12, None),
                          (2**31 - 1, 999, 2**33)])
def test_reseeded_draws_what_a_new_numpy_generator_draws(seed: int, replication: int,
                                                         point: int | None) -> None:
    s = Streams(seed, replication, point)
    for stream in STREAMS:
        for key in KEYS:
            # numpy's own path, built here from its documented parts
            parent = s.children[stream]
            ref = np.random.default_rng(np.random.SeedSequence(
                parent.entropy, spawn_key=(*parent.spawn_key, key_int(key))))
            want = (ref.random(3), ref.lognormal(0.2, 0.5, 4), ref.exponential(2.0, 3))
            got = s.reseeded(stream, key)
            assert np.array_equal(got.random(3), want[0])
            assert np.array_equal(got.lognormal(0.2, 0.5, 4), want[1])
            assert np.array_equal(got.exponential(2.0, 3), want[2])


def test_the_pcg64_state_is_numpys_for_a_spawn_key_of_several_words() -> None:
    entropy, spawn = (123456789012345678901234567890, 5), (2**32 + 7, 0)
    bg = np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(*spawn, 99)))
    assert Prefix(entropy, spawn).pcg64_state(99) == bg.state
