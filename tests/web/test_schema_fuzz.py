"""Schemathesis against the OpenAPI schema, in-process on the ASGI app, every check on: data the
schema allows is accepted (no 400 or 422: the body models are the server's, one per scenario
it offers) and never a 5xx; data it refuses gets a documented 4xx; every response has a
documented status and matches its schema.

The app offers the built-in scenarios and a served file (north-south), so the per-scenario
bounds are told apart. Positive and negative data, from the schema's examples and from
fuzzing: TITR_FUZZ_EXAMPLES cases per operation (default 8, enough for CI). For a thorough
local run, more cases and schemathesis's coverage phase (every bound, every enum value, each
property left out):

    TITR_FUZZ_EXAMPLES=200 TITR_FUZZ_COVERAGE=1 python -m pytest tests/web/test_schema_fuzz.py

Jobs the fuzzing starts are cancelled at once, so they do not take the CPU from the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from web_support import TEST_HOSTS

from titr.web import create_app
from titr.web.limits import Limits
from titr.web.served import ENV, serve_files

EXAMPLES = int(os.environ.get("TITR_FUZZ_EXAMPLES", "8"))
PHASES = ["examples", "fuzzing", *(["coverage"] if os.environ.get("TITR_FUZZ_COVERAGE") else [])]
NORTH_SOUTH = Path(__file__).parents[1] / "fixtures" / "north-south.toml"


def _app():  # type: ignore[no-untyped-def]
    before = os.environ.get(ENV)
    os.environ[ENV] = "{}"
    try:
        serve_files([NORTH_SOUTH])
        return create_app(Limits(max_jobs=1, pool_workers=1), hosts=TEST_HOSTS)
    finally:  # the workers learn the files from the app; other tests see the built-ins
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.phases.update(phases=PHASES)
CLIENT = TestClient(APP)  # to cancel the jobs the fuzzing starts


@pytest.fixture(scope="module", autouse=True)
def served_files() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV, "{}")
        serve_files([NORTH_SOUTH])  # this app's requests resolve north-south
        yield
    APP.state.services.shutdown()  # cancel the jobs the fuzzing started


def test_the_schema_offers_the_served_file() -> None:
    body = APP.openapi()["paths"]["/api/assessments"]["post"]["requestBody"]
    refs = [b["$ref"] for b in body["content"]["application/json"]["schema"]["oneOf"]]
    assert refs[0].endswith("AssessmentRequest_north_south")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_and_never_fails(case: schemathesis.Case) -> None:
    # a generous transport timeout: a 17-year assessment on a loaded machine is slow, not wrong
    response = case.call(timeout=300)
    if response.status_code == 202:  # a job started: stop it, its start is what is checked
        CLIENT.post(f"/api/jobs/{response.json()['id']}/cancel")
    case.validate_response(response)
