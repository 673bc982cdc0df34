"""The same seed gives the same tables serially, on local processes and on Dask (loopback)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from sweep_support import SYNTHETIC_EXPERIMENT, failing, tiny_experiment, write

from titr.experiments import SweepResult, run_sweep
from titr.experiments.cluster import DaskExecutor
from titr.experiments.executors import ExecutorSpec
from titr.model import TitrError


def _children() -> set[int]:
    """Child processes, but multiprocessing's resource tracker (one helper per parent process
    for its whole life, started with the first spawned worker)."""
    out = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if "resource_tracker" not in " ".join(p.cmdline()):
                out.add(p.pid)
        except psutil.NoSuchProcess:
            continue
    return out


def _no_new_children(before: set[int]) -> None:
    """Every process started by the test has ended (a moment is allowed for the exit)."""
    for _ in range(100):
        left = _children() - before
        if not left:
            return
        time.sleep(0.1)
    raise AssertionError(f"processes left behind: {sorted(left)}")


def _same(a: SweepResult, b: SweepResult) -> None:
    pd.testing.assert_frame_equal(a.outputs, b.outputs)
    pd.testing.assert_frame_equal(a.points, b.points)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.runs[["point", "replication"]],
                                  b.runs[["point", "replication"]])


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> SweepResult:
    folder = tmp_path_factory.mktemp("serial")
    return run_sweep(tiny_experiment(folder), folder / "s.duckdb", executor="serial")


def test_serial_sweep_is_complete_and_varies_by_replication(serial: SweepResult) -> None:
    assert serial.complete and len(serial.runs) == 4 * 3
    assert set(serial.outputs.output) == {"focus_t", "unserved_t", "bottleneck",
                                          "median_days", "p90_days", "vessel_wait_mean_h",
                                          "vessel_wait_p90_h"}
    p90 = serial.outputs[(serial.outputs.output == "p90_days")
                         & (serial.outputs.subject == "middle/container")]
    assert p90.groupby("point")["value"].nunique().min() == 3  # a stream per replication
    assessed = serial.outputs[serial.outputs.output == "focus_t"]
    assert assessed.groupby("point")["value"].nunique().max() == 1  # deterministic


def test_processes_and_local_dask_give_identical_tables(serial: SweepResult,
                                                        tmp_path: Path) -> None:
    before = _children()
    exp = tiny_experiment(tmp_path)
    procs = run_sweep(exp, tmp_path / "p.duckdb", executor="processes", workers=2)
    assert procs.workers == 2 and procs.runs["worker"].nunique() >= 1
    _same(serial, procs)
    dask = run_sweep(exp, tmp_path / "d.duckdb", executor="dask", dask_local=2)
    assert dask.workers == 2
    _same(serial, dask)
    _no_new_children(before)


def test_an_existing_dask_cluster_on_loopback(serial: SweepResult, tmp_path: Path) -> None:
    from distributed import LocalCluster

    before = _children()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster:
        res = run_sweep(tiny_experiment(tmp_path), tmp_path / "c.duckdb",
                        ExecutorSpec("dask", scheduler=cluster.scheduler_address))
        _same(serial, res)
    _no_new_children(before)
    with DaskExecutor(None, 2) as ex:
        info = ex.client.scheduler_info()
        addresses = [info["address"], *info["workers"]]
        assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
    _no_new_children(before)


def test_executor_options_are_checked() -> None:
    with pytest.raises(TitrError, match="need the dask executor"):
        ExecutorSpec("processes", scheduler="tcp://127.0.0.1:8786").check()
    with pytest.raises(TitrError, match="not both"):
        ExecutorSpec("dask", scheduler="tcp://127.0.0.1:8786", dask_local=2).check()
    with pytest.raises(TitrError, match="--workers"):
        ExecutorSpec("processes", workers=0).check()


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_a_point_the_model_refuses_stops_the_sweep_with_a_clear_error(
        tmp_path: Path, executor: str) -> None:
    exp = write(tmp_path, SYNTHETIC_EXPERIMENT)
    out = tmp_path / "s.duckdb"
    with pytest.raises(TitrError) as err:
        run_sweep(exp, out, executor=executor, workers=2, run=failing)
    p = err.value.problems[0]
    assert p.where.startswith("point ") and "a=0.9" in p.where and "refuses" in p.what
    assert p.fix == "use fewer ferries"
    kept = SweepResult.load(out)
    assert 0 < len(kept.runs) < kept.total_runs and not kept.complete


def test_process_workers_are_renewed_without_hanging(serial: SweepResult, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # one worker renewed after every 2 tasks while others wait: Python 3.11's own
    # max_tasks_per_child hangs here (CPython gh-115634); the sweep must finish, unchanged,
    # on more than one pool, and leave no process behind
    import titr.experiments.executors as executors

    monkeypatch.setattr(executors, "TASKS_PER_PROCESS", 2)
    renewed: list[int] = []
    new_pool = executors.ProcessExecutor._new_pool

    def counted(self: executors.ProcessExecutor) -> list[object]:
        renewed.append(1)
        return new_pool(self)

    monkeypatch.setattr(executors.ProcessExecutor, "_new_pool", counted)
    before = _children()
    res = run_sweep(tiny_experiment(tmp_path), tmp_path / "r.duckdb", executor="processes",
                    workers=1)
    _same(serial, res)
    assert len(renewed) >= 3  # the first pool and at least two renewals for 12 runs
    assert res.runs["worker"].nunique() >= 2  # the runs came from more than one process
    _no_new_children(before)
