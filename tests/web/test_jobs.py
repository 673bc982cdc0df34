"""Background jobs through the API: progress, results, downloads, cancel, limits, failures."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_support import problem, wait_job

from titr.web.jobs import JobManager
from titr.web.limits import Limits


def _drain(client: TestClient) -> None:
    """Cancel whatever still runs, so each test starts with a free slot (max_jobs=1)."""
    for job in client.get("/api/jobs").json():
        if job["state"] == "running":
            client.post(f"/api/jobs/{job['id']}/cancel")


@pytest.fixture(autouse=True)
def free_slot(client: TestClient) -> None:
    _drain(client)


def test_simulation_job_reports_progress_and_results(client: TestClient) -> None:
    r = client.post("/api/jobs/simulations", json={"year": 2026, "replications": 2, "seed": 3,
                                                   "label": "two reps"})
    assert r.status_code == 202
    job = r.json()
    assert job["state"] == "running" and job["label"] == "two reps"
    done = wait_job(client, job["id"])
    assert done["state"] == "done" and done["progress"] == 1.0, done
    assert "2 replications, seed 3" in done["message"]
    kpis = pd.DataFrame(done["result"]["kpis"])
    assert {"middle-aktau", "northern"} <= set(kpis.corridor)
    assert (kpis.p90_days >= kpis.median_days).all()
    csv = client.get(done["downloads"]["csv"]["kpis"])
    assert len(pd.read_csv(io.StringIO(csv.text))) == len(kpis)
    db = client.get(done["downloads"]["duckdb"])
    assert db.status_code == 200 and db.content[:4] != b"<!do"
    listed = client.get("/api/jobs").json()
    assert listed[0]["id"] == job["id"] and listed[0]["result"] is None  # the list stays light


def test_sweep_job(client: TestClient) -> None:
    r = client.post("/api/jobs/sweeps", json={"vary": "co2_price", "values": [0, 200],
                                              "first_year": 2030, "last_year": 2031})
    assert r.status_code == 202
    done = wait_job(client, r.json()["id"])
    assert done["state"] == "done", done
    pts = pd.DataFrame(done["result"]["points"])
    assert sorted(pts.value.unique()) == [0, 200] and sorted(pts.year.unique()) == [2030, 2031]
    co2 = pts.groupby("value").co2_t.sum()
    assert co2[200] < co2[0]  # a carbon price moves cargo to cleaner routes


def test_a_running_job_can_be_cancelled_and_the_slot_is_bounded(client: TestClient) -> None:
    r = client.post("/api/jobs/simulations", json={"year": 2030, "replications": 50})
    assert r.status_code == 202
    job_id = r.json()["id"]
    busy = client.post("/api/jobs/sweeps", json={"vary": "kz_ferries", "values": [2]})
    assert busy.status_code == 429 and "cancel" in problem(busy)["fix"]
    time.sleep(0.3)
    cancelled = client.post(f"/api/jobs/{job_id}/cancel").json()
    assert cancelled["state"] == "cancelled"
    assert client.post(f"/api/jobs/{job_id}/cancel").json()["state"] == "cancelled"
    gone = client.get(f"/api/jobs/{job_id}/tables/kpis.csv")
    assert gone.status_code == 409 and problem(gone)["field"] == "id"
    assert wait_job(client, job_id)["state"] == "cancelled"


@pytest.mark.parametrize(("path", "payload", "status", "field"), [
    ("simulations", {"replications": 51}, 422, "body.replications"),
    ("simulations", {"year": 2040}, 422, "body.year"),
    ("simulations", {"levers": {"closed_corridor": "middle-kuryk"}}, 422,
     "body.levers.closed_corridor"),
    ("simulations", {"scenario": "elsewhere"}, 422, "body.scenario"),
    ("sweeps", {"vary": "kz_ferries", "values": [1, 2.5]}, 422, "body.values.1"),
    ("sweeps", {"vary": "kz_ferries", "values": [1, 21]}, 422, "body.values.1"),
    ("sweeps", {"vary": "kz_ferries", "values": list(range(13))}, 422, "body.values"),
    ("sweeps", {"vary": "kz_ferries", "values": [1, 1]}, 422, "body"),
    ("sweeps", {"vary": "ferry_speed", "values": [1]}, 422, "body.vary"),
    ("sweeps", {"vary": "Ferry Speed", "values": [1]}, 422, "body.vary"),
    ("sweeps", {"values": [1]}, 422, "body.vary"),
    ("sweeps", {"vary": "co2_price", "values": [0], "first_year": 2000}, 422,
     "body.first_year"),
])
def test_job_requests_are_checked_before_they_start(client: TestClient, path: str,
                                                     payload: dict[str, Any], status: int,
                                                     field: str) -> None:
    r = client.post(f"/api/jobs/{path}", json=payload)
    assert r.status_code == status, r.text
    assert problem(r)["field"] == field


def test_unknown_job_table(client: TestClient) -> None:
    r = client.post("/api/jobs/sweeps", json={"vary": "storm_events", "values": [6],
                                              "first_year": 2030, "last_year": 2030})
    done = wait_job(client, r.json()["id"])
    assert done["state"] == "done"
    miss = client.get(f"/api/jobs/{done['id']}/tables/kpis.csv")
    assert miss.status_code == 404 and "points" in problem(miss)["fix"]


def test_a_job_process_yields_the_cpu_to_what_ifs() -> None:
    # a job runs at niceness 10 above the server: what-ifs a user waits for go first
    jobs = JobManager(Limits(max_jobs=1))
    try:
        job = jobs.submit("simulation", {"year": 2030, "replications": 50})
        pid, own, seen = job.process.pid, os.getpriority(os.PRIO_PROCESS, 0), None
        for _ in range(600):  # until the process has set it (it does so first thing)
            seen = os.getpriority(os.PRIO_PROCESS, pid)
            if seen != own:
                break
            time.sleep(0.05)
        assert seen == min(19, own + 10)
    finally:
        jobs.shutdown()
