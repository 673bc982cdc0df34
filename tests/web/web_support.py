"""Helpers of the web tests (a uniquely named module: `conftest` is ambiguous here)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

YEARS = {"first_year": 2025, "last_year": 2028}  # short runs keep the tests fast
TEST_HOSTS = ["127.0.0.1", "localhost", "::1", "testserver"]  # TestClient's host is testserver


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(*args: str, port: int | None = None,
                proc_out: list[subprocess.Popen[bytes]] | None = None) -> Iterator[str]:
    """`titr serve` on 127.0.0.1 and a free port (or ``port``), stopped (by its pid)
    afterwards; ``proc_out`` receives the process."""
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-m", "titr", "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if proc_out is not None:
        proc_out.append(proc)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"titr serve did not start:\n{out}")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_job(client: Any, job_id: str, timeout: float = 90) -> dict[str, Any]:
    """Poll a job until it leaves the running state."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] != "running" or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def problem(response: Any) -> dict[str, str]:
    """The first problem of an error response (which must have the error shape)."""
    body = response.json()
    assert set(body) == {"error", "problems"}, body
    assert body["problems"], body
    first: dict[str, str] = body["problems"][0]
    assert set(first) == {"field", "message", "fix"}
    return first
