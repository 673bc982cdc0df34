"""Honest timing for the benchmarks: CPU and wall time, min and median of interleaved rounds
(every case runs once per round, so load from other processes hits all cases alike)."""

from __future__ import annotations

import gc
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Timings:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def line(self, name: str, goal: str = "") -> str:
        c, w = self.cpu, self.wall
        text = (f"  {name:<34} CPU min {min(c):8.3f} s  median {statistics.median(c):8.3f} s"
                f" | wall min {min(w):8.3f} s  median {statistics.median(w):8.3f} s")
        return text + (f"   (goal {goal})" if goal else "")


LAST: dict[str, Any] = {}  # the last result of each case, for checks


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(CPU s of this process and its children, wall s, result) of one call."""
    c0, k0, w0 = time.process_time(), _children_cpu(), time.perf_counter()
    out = fn()
    wall = time.perf_counter() - w0
    return time.process_time() - c0 + _children_cpu() - k0, wall, out


def interleaved(cases: dict[str, Callable[[], Any]], rounds: int,
                collect: bool = False) -> dict[str, Timings]:
    """Run every case once per round, ``rounds`` times; the last result of each is kept in
    ``LAST``. ``collect``: a full garbage collection before each case, off the clock, so a
    case is not charged for walking the garbage and the set-up objects the others left."""
    out = {name: Timings() for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            if collect:
                gc.collect()
            cpu, wall, result = measure(fn)
            out[name].cpu.append(cpu)
            out[name].wall.append(wall)
            LAST[name] = result
    return out


def run_command(args: list[str]) -> Callable[[], None]:
    """A case that runs a command in a fresh process (a cold start)."""

    def run() -> None:
        subprocess.run(args, check=True, capture_output=True)

    return run


def ratio_line(name: str, slow: Timings, fast: Timings, goal: float) -> str:
    """slow/fast by min and by median CPU (and wall), next to the goal."""
    med = statistics.median
    return (f"  {name:<34} CPU ratio min {min(slow.cpu) / min(fast.cpu):6.1f}x  median "
            f"{med(slow.cpu) / med(fast.cpu):6.1f}x | wall ratio min "
            f"{min(slow.wall) / min(fast.wall):6.1f}x  median "
            f"{med(slow.wall) / med(fast.wall):6.1f}x   (goal >= {goal:g}x)")
