"""Fixtures of the web tests: the app in-process (TestClient), a live `titr serve`, Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_support import TEST_HOSTS, YEARS, live_server

from browser_support import chromium
from titr.web import create_app
from titr.web.limits import Limits


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """One app for the API tests; jobs and pool kept small."""
    with TestClient(create_app(Limits(max_jobs=1, pool_workers=2), hosts=TEST_HOSTS)) as c:
        yield c


@pytest.fixture(scope="session")
def plan_run(client: TestClient) -> dict[str, Any]:
    r = client.post("/api/assessments", json={**YEARS, "label": "plan"})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.fixture(scope="session")
def ferries_run(client: TestClient) -> dict[str, Any]:
    r = client.post("/api/assessments", json={**YEARS, "levers": {"study": {"kz_ferries": 10}}})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with live_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium per test module (never `playwright install`)."""
    with chromium() as b:
        yield b
