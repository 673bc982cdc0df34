"""Load test of the web service on loopback (not a test: it prints, and exits 1 if a request
failed). Starts `titr serve` on 127.0.0.1 and a free port, then sends 50 concurrent assessment
requests with httpx.AsyncClient, twice:

- distinct: 50 different lever settings (a carbon price each), every one computed;
- shared: 50 identical requests (a team looking at the same what-if), computed once.

    python benchmarks/bench_web.py [--requests 50] [--first 2019 --last 2035] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("titr serve did not start")


async def one(client: httpx.AsyncClient, body: dict[str, Any]) -> tuple[float, int, bool]:
    t = time.perf_counter()
    r = await client.post("/api/assessments", json=body)
    cached = r.status_code == 200 and bool(r.json()["cached"])
    return time.perf_counter() - t, r.status_code, cached


async def burst(url: str, bodies: list[dict[str, Any]]) -> tuple[list[float], list[int], int,
                                                                  float]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=len(bodies))
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        t = time.perf_counter()
        out = await asyncio.gather(*(one(client, b) for b in bodies))
        wall = time.perf_counter() - t
    return [o[0] for o in out], [o[1] for o in out], sum(o[2] for o in out), wall


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def report(name: str, lat: list[float], codes: list[int], cached: int, wall: float) -> bool:
    ok = all(c == 200 for c in codes)
    print(f"{name:9s} {len(lat)} requests in {wall:5.1f} s: p50 {statistics.median(lat):6.2f} s"
          f"  p99 {pct(lat, 0.99):6.2f} s  max {max(lat):6.2f} s  "
          f"{len(lat) / wall:5.1f} req/s  shared a computation {cached}  "
          f"{'all 200' if ok else 'FAILED: ' + str(sorted(set(codes)))}")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--first", type=int, default=2019)
    ap.add_argument("--last", type=int, default=2035)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "titr", "serve", "--port", str(port),
                             "--workers", str(args.workers)])
    try:
        wait_up(url, proc)
        years = {"first_year": args.first, "last_year": args.last}
        asyncio.run(burst(url, [{**years, "levers": {"co2_price": 999}}]))  # workers warm
        n = args.requests
        print(f"{n} concurrent POST /api/assessments, years {args.first}–{args.last}, "
              f"{args.workers} worker processes, on 127.0.0.1")
        distinct = [{**years, "levers": {"co2_price": 5.0 * i}} for i in range(n)]
        ok = report("distinct", *asyncio.run(burst(url, distinct)))
        shared = [{**years, "levers": {"storm_events": 4.5}} for _ in range(n)]
        ok = report("shared", *asyncio.run(burst(url, shared))) and ok
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
