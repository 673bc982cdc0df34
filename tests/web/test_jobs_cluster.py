"""`titr serve --scheduler ADDR`: simulation and sweep jobs run as tasks on the Dask cluster."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_support import TEST_HOSTS, wait_job

from titr.web import create_app
from titr.web.limits import Limits


@pytest.fixture(scope="module")
def on_cluster() -> Iterator[tuple[TestClient, Any]]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as dask_client, \
            TestClient(create_app(Limits(max_jobs=2, pool_workers=1), hosts=TEST_HOSTS,
                                  scheduler=cluster.scheduler_address)) as client:
        yield client, dask_client


def _ran_on_a_worker(dask_client: Any, job_id: str) -> bool:
    """The job's progress events were logged by a worker (only a task can log them)."""
    return len(dask_client.get_events(f"titr-job-{job_id}")) > 0


def test_a_simulation_job_runs_on_the_cluster(on_cluster: tuple[TestClient, Any]) -> None:
    client, dask_client = on_cluster
    r = client.post("/api/jobs/simulations", json={"year": 2026, "replications": 2, "seed": 3})
    assert r.status_code == 202, r.text
    done = wait_job(client, r.json()["id"], timeout=180)
    assert done["state"] == "done", done
    kpis = pd.DataFrame(done["result"]["kpis"])
    assert (kpis.p90_days >= kpis.median_days).all()
    assert _ran_on_a_worker(dask_client, done["id"])


def test_a_sweep_job_runs_on_the_cluster_and_bad_input_fails_cleanly(
        on_cluster: tuple[TestClient, Any]) -> None:
    client, dask_client = on_cluster
    r = client.post("/api/jobs/sweeps", json={"vary": "co2_price", "values": [0, 200],
                                              "first_year": 2030, "last_year": 2030})
    assert r.status_code == 202, r.text
    done = wait_job(client, r.json()["id"], timeout=180)
    assert done["state"] == "done", done
    co2 = pd.DataFrame(done["result"]["points"]).groupby("value").co2_t.sum()
    assert co2[200] < co2[0]  # a carbon price moves cargo to cleaner routes
    assert _ran_on_a_worker(dask_client, done["id"])
