"""The sensitivity ranking finds the parameter that matters, on a model we control."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sweep_support import SYNTHETIC_EXPERIMENT, synthetic, write

from titr.experiments import run_sweep
from titr.experiments.sensitivity import most_influential, rank_target, sensitivity
from titr.experiments.summary import point_summary


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_a_synthetic_model_through_the_sweep(tmp_path: Path, executor: str) -> None:
    """y = 5·a + 0.1·b + noise on a Latin hypercube: a is ranked first, by far."""
    exp = write(tmp_path, SYNTHETIC_EXPERIMENT)
    res = run_sweep(exp, tmp_path / "s.duckdb", executor=executor, workers=2, run=synthetic)
    assert res.complete and len(res.runs) == 40 * 2
    sens = sensitivity(res.points, res.summary, res.experiment.labels, ["y"])
    top = most_influential(sens)
    assert list(top.parameter) == ["a"] and top.method.iloc[0] == "src"
    by = sens.set_index("parameter")
    assert by.loc["a", "src"] > 0.95 and abs(by.loc["b", "src"]) < 0.1
    assert by.loc["a", "r2"] > 0.9


def test_point_summary_means_and_intervals() -> None:
    points = pd.DataFrame({"point": [0, 1], "a": [1.0, 2.0], "overrides": ["{}", "{}"]})
    outputs = pd.DataFrame({
        "point": [0, 0, 0, 1, 1, 1], "replication": [0, 1, 2, 0, 1, 2], "year": 2030,
        "output": "y", "subject": "", "value": [1.0, 2.0, 3.0, 5.0, 5.0, 5.0],
        "text": None})
    s = point_summary(points, outputs).set_index("point")
    assert s.loc[0, "mean"] == 2.0 and s.loc[0, "replications"] == 3
    half = 4.302652729911275 * 1.0 / np.sqrt(3)  # t(0.975, 2) · sd / √n
    assert s.loc[0, "ci_low"] == pytest.approx(2.0 - half)
    assert s.loc[0, "ci_high"] == pytest.approx(2.0 + half)
    assert s.loc[1, "ci_low"] == s.loc[1, "ci_high"] == 5.0  # a constant output
    assert s.loc[1, "a"] == 2.0


def test_ranking_methods() -> None:
    rng = np.random.default_rng(1)
    X = rng.random((60, 3))
    # linear: the coefficients' order is the ranking
    lin = rank_target(X, 3 * X[:, 2] - 1 * X[:, 0] + 0.01 * rng.normal(size=60),
                      ["a", "b", "c"])
    assert list(lin.sort_values("rank").parameter) == ["c", "a", "b"]
    assert lin.method.iloc[0] == "src" and lin.set_index("parameter").loc["a", "src"] < 0
    # monotone but far from linear: ranks instead
    steep = rank_target(X, np.exp(30 * X[:, 1]) + X[:, 0], ["a", "b", "c"])
    assert steep.method.iloc[0] == "srrc" and steep.sort_values("rank").parameter.iloc[0] == "b"
    # an output that does not move
    flat = rank_target(X, np.ones(60), ["a", "b", "c"])
    assert flat.method.iloc[0] == "constant" and (flat.importance == 0).all()
    # fewer points than a regression needs: rank correlation
    few = rank_target(X[:4], X[:4, 0] * 2, ["a", "b", "c"])
    assert few.method.iloc[0] == "spearman" and few.sort_values("rank").parameter.iloc[0] == "a"
    # points without a value (NaN) are left out
    y = X[:, 1].copy()
    y[:5] = np.nan
    assert rank_target(X, y, ["a", "b", "c"]).points.iloc[0] == 55
