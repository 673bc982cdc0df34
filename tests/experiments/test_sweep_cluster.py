"""A real cluster, as a user starts one on other machines: ``dask scheduler`` and two
``dask worker`` commands (separate processes), each worker in its own working directory.

The scenario is a file that ``extends`` another; both files are deleted once the client has
resolved the experiment, so nothing can reach a worker but what the client ships. The stored
runs must equal a serial sweep's; a worker killed mid-sweep must cost nothing but time (every
run stored exactly once).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sweep_support import TINY, slow_titr, tiny_experiment

from port_support import free_port
from titr.experiments import ExecutorSpec, SweepResult, load_experiment, run_sweep
from titr.experiments import sweep as sweep_module
from titr.experiments.cluster import DaskExecutor
from titr.experiments.payload import ScenarioPayload, WorkerProblem, install
from titr.model import TitrError

PORTS = range(18160, 18200)  # this test's ports (the team's convention)
HERE = Path(__file__).resolve().parent

CHILD = """
extends = "base.toml"
id = "tiny-child"
name = "Tiny corridor, smaller ferries"

[[fleets]]
id = "ferries"
capacity = { value = 20, unit = "wagons", source = "HAND" }
"""


@dataclass
class Cluster:
    address: str
    workers: list[subprocess.Popen[bytes]]
    folders: list[Path]


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    from distributed import Client

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])])}  # workers import tests'
    address = f"tcp://127.0.0.1:{free_port(PORTS)}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
             address.rsplit(":", 1)[1], "--no-dashboard"], cwd=logs, env=env,
            stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("wb")))
        folders = []
        for i in range(2):
            folder = tmp_path / f"worker-{i}"
            folder.mkdir()
            folders.append(folder)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}",
                 "--local-directory", str(folder)], cwd=folder, env=env,
                stdout=subprocess.DEVNULL, stderr=(logs / f"worker-{i}.log").open("wb")))
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield Cluster(address, procs[1:], folders)
    finally:
        _stop(procs[::-1])
    assert all(p.poll() is not None for p in procs)


def _client_files(tmp_path: Path, replications: int) -> Path:
    """The client's folder: base.toml, child.toml (extends base) and the experiment."""
    folder = tmp_path / "client"
    folder.mkdir()
    shutil.copy(TINY, folder / "base.toml")
    (folder / "child.toml").write_text(CHILD, encoding="utf-8")
    exp = tiny_experiment(folder, replications=replications)
    exp.write_text(exp.read_text().replace(f'scenario = "{TINY}"', 'scenario = "child.toml"'))
    return exp


def _same_runs(a: SweepResult, b: SweepResult) -> None:
    pd.testing.assert_frame_equal(a.outputs, b.outputs)
    pd.testing.assert_frame_equal(a.runs[["point", "replication"]],
                                  b.runs[["point", "replication"]])


def test_a_scenario_that_extends_another_runs_on_workers_without_its_files(
        cluster: Cluster, tmp_path: Path) -> None:
    exp = _client_files(tmp_path, replications=3)
    r = load_experiment(exp)
    assert r.scenario.endswith("child.toml")
    serial = run_sweep(r, tmp_path / "serial.duckdb", executor="serial")
    shutil.rmtree(exp.parent)  # no file of the client's exists any more, on any machine
    for folder in cluster.folders:
        assert not (folder / "child.toml").exists() and not (folder / "base.toml").exists()
    res = run_sweep(r, tmp_path / "cluster.duckdb",
                    ExecutorSpec("dask", scheduler=cluster.address), chunk=1)
    assert res.complete and res.workers == 2
    _same_runs(serial, res)
    pids = {int(w.rsplit(":", 1)[1]) for w in res.runs["worker"]}
    assert pids <= {p.pid for p in cluster.workers} and os.getpid() not in pids
    # the child's own figure reached the workers: its ferries carry less than the base's
    base = run_sweep(tiny_experiment(tmp_path, replications=3), tmp_path / "base.duckdb",
                     executor="serial")
    caspian = {k: s.outputs[s.outputs.output == "focus_t"]["value"].sum()
               for k, s in (("child", res), ("base", base))}
    assert caspian["child"] < caspian["base"]


def test_a_worker_killed_mid_sweep_costs_nothing_but_time(
        cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep_module, "BATCH_S", 0.0)  # store (and report) every chunk
    r = load_experiment(_client_files(tmp_path, replications=12))
    serial = run_sweep(r, tmp_path / "serial.duckdb", executor="serial")
    victim = cluster.workers[1]
    killed_at: list[int] = []

    def kill_once(done: int, total: int) -> None:
        if 8 <= done < total and not killed_at:
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            killed_at.append(done)

    res = run_sweep(r, tmp_path / "cluster.duckdb",
                    ExecutorSpec("dask", scheduler=cluster.address), run=slow_titr, chunk=1,
                    progress=kill_once)
    assert killed_at and killed_at[0] < 48 and victim.returncode == -signal.SIGKILL
    assert res.complete and len(res.runs) == 48
    assert not res.runs.duplicated(["point", "replication"]).any()
    _same_runs(serial, res)
    survivor = cluster.workers[0].pid
    after = res.runs.sort_values("finished").iloc[-10:]
    assert {int(w.rsplit(":", 1)[1]) for w in after["worker"]} == {survivor}


def test_a_worker_of_another_titr_version_is_named_in_one_message(tmp_path: Path) -> None:
    r = load_experiment(tiny_experiment(tmp_path))
    assert r.payload is not None
    other = ScenarioPayload(r.payload.digest, r.payload.json, "0.0.1")
    with pytest.raises(WorkerProblem, match=r"runs titr .*the client titr 0\.0\.1"):
        install(other)
    damaged = ScenarioPayload(r.payload.digest, r.payload.json.replace("1", "2", 1),
                              r.payload.titr)
    with pytest.raises(WorkerProblem, match="does not match its fingerprint"):
        install(damaged)
    with DaskExecutor(None, 2) as ex, pytest.raises(TitrError) as err:
        ex.start(other)
    problems = err.value.problems
    assert len(problems) == 2  # one line per worker, each naming it
    assert all(p.where.startswith("worker tcp://127.0.0.1:") and "0.0.1" in p.what
               and "install" in p.fix for p in problems)
