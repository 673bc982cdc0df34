"""Random streams keyed by a sweep's design point: (seed, point, replication)."""

from __future__ import annotations

import numpy as np
import pytest

from titr.model.scenario import Scenario
from titr.sim import Window, build_plan, run_replication
from titr.sim.from_paths import route_from_path
from titr.sim.rng import Streams

PATH = ["a", "b", "p", "q", "z"]


def test_without_a_point_the_root_is_seed_and_replication() -> None:
    s = Streams(7, 3)
    assert s.point is None
    assert s.children["arrivals"].entropy == np.random.SeedSequence((7, 3)).entropy


def test_a_point_adds_itself_to_the_root() -> None:
    s = Streams(7, 3, point=5)
    assert s.children["weather"].entropy == np.random.SeedSequence((7, 5, 3)).entropy
    draw = s.generator("arrivals", "r").random(4)
    again = Streams(7, 3, point=5).generator("arrivals", "r").random(4)
    other = Streams(7, 3, point=6).generator("arrivals", "r").random(4)
    plain = Streams(7, 3).generator("arrivals", "r").random(4)
    assert np.array_equal(draw, again)
    assert not np.array_equal(draw, other) and not np.array_equal(draw, plain)
    with pytest.raises(ValueError):
        Streams(7, 3, point=-1)


def test_run_replication_of_a_point_is_reproducible(tiny: Scenario) -> None:
    net = tiny.network(2022)
    plan = build_plan(net, [route_from_path(net, PATH, 2000, cargo="container")])
    w = Window()

    def enters(point: int | None) -> np.ndarray:
        return run_replication(plan, w, 7, 1, point=point).runs[0].rows()[0]

    assert np.array_equal(enters(2), enters(2))
    assert not np.array_equal(enters(2), enters(3))
    assert np.array_equal(enters(None), run_replication(plan, w, 7, 1).runs[0].rows()[0])
