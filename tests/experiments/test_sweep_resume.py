"""A sweep killed (SIGKILL) or interrupted (Ctrl-C) keeps its finished runs; --resume runs only
the missing ones, each exactly once, and ends with the same tables as an uninterrupted sweep."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import psutil
import pytest
from sweep_support import tiny_experiment, titr

from titr.experiments import SweepResult, run_sweep

REPLICATIONS = 30  # 4 points × 30 = 120 short runs


def _start(exp: Path, out: Path, executor: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "titr", "sweep", str(exp), "--out", str(out),
            "--executor", executor]
    if executor == "processes":
        args += ["--workers", "2"]
    elif executor == "dask":
        args += ["--dask-local", "2"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, workers included


def _wait_for_runs(proc: subprocess.Popen[str]) -> int:
    """Read the progress lines until some runs (not all) are stored; their number."""
    assert proc.stderr is not None
    for line in proc.stderr:
        m = re.match(r"(\d+)/(\d+) runs", line)
        if m and 0 < int(m.group(1)) < int(m.group(2)):
            return int(m.group(1))
    raise AssertionError(f"the sweep ended before any progress: rc={proc.wait()}")


def _group_gone(pgid: int) -> bool:
    for _ in range(100):
        alive = []
        for p in psutil.process_iter(["pid"]):
            try:
                if os.getpgid(p.pid) == pgid:
                    alive.append(p.pid)
            except (ProcessLookupError, psutil.NoSuchProcess):
                continue
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _stored(out: Path) -> pd.DataFrame:
    con = duckdb.connect(str(out), read_only=True)
    try:
        return con.execute("SELECT point, replication FROM runs").df()
    finally:
        con.close()


def _exactly_once(res: SweepResult) -> None:
    runs = res.runs
    assert len(runs) == res.total_runs == 4 * REPLICATIONS
    assert not runs.duplicated(["point", "replication"]).any()
    keys = ["point", "replication", "year", "output", "subject"]
    assert not res.outputs.duplicated(keys).any()
    assert set(res.outputs.groupby(["point", "replication"]).size()) == {
        len(res.outputs) // len(runs)}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> SweepResult:
    folder = tmp_path_factory.mktemp("whole")
    return run_sweep(tiny_experiment(folder, replications=REPLICATIONS), folder / "w.duckdb",
                     executor="serial")


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_sigkill_then_resume_runs_each_missing_run_once(tmp_path: Path, executor: str,
                                                        uninterrupted: SweepResult) -> None:
    exp = tiny_experiment(tmp_path, replications=REPLICATIONS)
    out = tmp_path / "sweep.duckdb"
    proc = _start(exp, out, executor)
    try:
        seen = _wait_for_runs(proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert _group_gone(proc.pid), "worker processes outlived the kill"
    stored = _stored(out)
    assert seen <= len(stored) < 4 * REPLICATIONS  # every reported run survived the kill
    assert not stored.duplicated().any()

    r = titr("sweep", str(exp), "--out", str(out), "--resume", "--executor", "serial",
             "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"{4 * REPLICATIONS - len(stored)} runs done, {len(stored)} already stored" in r.stdout
    res = SweepResult.load(out)
    _exactly_once(res)
    pd.testing.assert_frame_equal(res.outputs, uninterrupted.outputs)


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_ctrl_c_stops_the_workers_keeps_the_runs_and_says_how_to_resume(
        tmp_path: Path, executor: str, uninterrupted: SweepResult) -> None:
    exp = tiny_experiment(tmp_path, replications=REPLICATIONS)
    out = tmp_path / "sweep.duckdb"
    proc = _start(exp, out, executor)
    try:
        _wait_for_runs(proc)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and "--resume" in last and str(out) in last
    assert _group_gone(proc.pid), "worker processes outlived Ctrl-C"
    stored = len(_stored(out))
    assert 0 < stored < 4 * REPLICATIONS
    assert f"{stored} of {4 * REPLICATIONS} runs are stored" in last

    res = run_sweep(exp, out, executor="serial", resume=True)
    assert res.ran == 4 * REPLICATIONS - stored and res.skipped == stored
    _exactly_once(res)
    pd.testing.assert_frame_equal(res.outputs, uninterrupted.outputs)


def test_resume_refuses_another_experiment_and_a_fresh_run_refuses_an_existing_file(
        tmp_path: Path) -> None:
    exp = tiny_experiment(tmp_path)
    out = tmp_path / "s.duckdb"
    run_sweep(exp, out, executor="serial")
    r = titr("sweep", str(exp), "--out", str(out), "--executor", "serial")
    assert r.returncode == 2 and "already exists" in r.stderr and "--resume" in r.stderr
    other = tiny_experiment(tmp_path, seed=99)
    r = titr("sweep", str(other), "--out", str(out), "--resume", "--executor", "serial")
    assert r.returncode == 2 and "holds another experiment" in r.stderr


def _descendants(pid: int) -> list[psutil.Process]:
    """The sweep's process tree below it: workers and multiprocessing's resource tracker."""
    return psutil.Process(pid).children(recursive=True)


def _all_gone(procs: list[psutil.Process], seconds: float) -> list[int]:
    """The pids still running after ``seconds`` (a zombie awaiting its reaper counts as gone)."""
    deadline = time.monotonic() + seconds
    alive = procs
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    return [p.pid for p in alive]


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_sigkill_of_the_sweep_alone_leaves_no_process_behind(tmp_path: Path,
                                                             executor: str) -> None:
    """Only the sweep is killed (not its process group, as an OOM killer or `kill -9 PID`
    would): its workers and the resource tracker end within 5 s."""
    exp = tiny_experiment(tmp_path, replications=REPLICATIONS)
    proc = _start(exp, tmp_path / "sweep.duckdb", executor)
    try:
        _wait_for_runs(proc)
        below = _descendants(proc.pid)
        assert len(below) >= 2, [p.cmdline() for p in below]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert _all_gone(below, 5.0) == []
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
