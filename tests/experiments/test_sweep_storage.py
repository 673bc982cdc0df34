"""Storing a sweep as Parquet partitions; the summary's intervals and its table of every
output."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
from sweep_support import tiny_experiment, titr

from titr.experiments import SweepResult, run_sweep
from titr.experiments.summary import point_summary


def test_parquet_partitions_hold_the_same_sweep_and_summary_reads_them(tmp_path: Path) -> None:
    exp = tiny_experiment(tmp_path)
    duck = run_sweep(exp, tmp_path / "s.duckdb", executor="serial")
    parts = tmp_path / "parts"
    r = titr("sweep", str(exp), "--out", str(parts), "--parquet", "--executor", "serial", "-q")
    assert r.returncode == 0, r.stderr
    assert (parts / "sweep.json").is_file() and list((parts / "runs").glob("part-*.parquet"))
    res = SweepResult.load(parts)
    pd.testing.assert_frame_equal(res.outputs, duck.outputs)
    pd.testing.assert_frame_equal(res.summary, duck.summary)
    r = titr("sweep", "summary", str(parts), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["runs"] == 12


def test_a_batch_cut_in_half_by_a_kill_is_dropped_and_run_again(tmp_path: Path) -> None:
    exp = tiny_experiment(tmp_path)
    parts = tmp_path / "parts"
    whole = run_sweep(exp, parts, executor="serial", store_as="parquet")
    runs = sorted((parts / "runs").glob("part-*.parquet"))
    last = runs[-1]
    lost = len(pd.read_parquet(last))
    last.unlink()  # killed between the outputs partition and its runs partition
    assert (parts / "outputs" / last.name).is_file()
    again = run_sweep(exp, parts, executor="serial", store_as="parquet", resume=True)
    assert again.ran == lost and again.complete
    assert not again.runs.duplicated(["point", "replication"]).any()
    pd.testing.assert_frame_equal(again.outputs, whole.outputs)


def test_intervals_of_a_wait_stay_at_or_above_zero_with_two_replications() -> None:
    points = pd.DataFrame({"point": [0], "a": [1.0], "overrides": ["{}"]})
    outputs = pd.DataFrame({
        "point": [0, 0, 0, 0], "replication": [0, 1, 0, 1], "year": [2030] * 4,
        "output": ["vessel_wait_mean_h"] * 2 + ["focus_share"] * 2,
        "subject": ["ferry", "ferry", "", ""], "value": [0.1, 5.0, 0.99, 0.5],
        "text": [None] * 4})
    s = point_summary(points, outputs).set_index("output")
    # by hand: mean 2.55, sd = 4.9/√2 = 3.4648, t(0.975, 1) = 12.7062, half = 31.13
    wait = s.loc["vessel_wait_mean_h"]
    assert math.isclose(wait["mean"], 2.55)
    assert wait["ci_low"] == 0.0
    assert math.isclose(wait["ci_high"], 2.55 + 12.7062 * 4.9 / 2, rel_tol=1e-4)
    share = s.loc["focus_share"]
    assert share["ci_low"] == 0.0 and share["ci_high"] == 1.0


def test_the_summary_shows_every_output_kept_not_only_the_sensitivity_ones(
        tmp_path: Path) -> None:
    exp = tiny_experiment(tmp_path)
    run_sweep(exp, tmp_path / "s.duckdb", executor="serial")
    r = titr("sweep", "summary", str(tmp_path / "s.duckdb"))
    assert r.returncode == 0, r.stderr
    # the experiment keeps 7 outputs and names 2 of them for sensitivity
    for output in ("focus_t", "unserved_t", "bottleneck", "median_days", "p90_days",
                   "vessel_wait_mean_h", "vessel_wait_p90_h"):
        assert output in r.stdout, output
    res = SweepResult.load(tmp_path / "s.duckdb")
    ranges = res.output_ranges()
    assert set(ranges["output"]) == set(res.experiment.outputs)
    assert (res.summary["ci_low"].dropna() >= 0).all()
