"""The commands that need no model load no heavy library: `titr --help` and `titr validate`
start in a fraction of a second (timed in benchmarks/bench_startup.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "duckdb", "highspy", "scipy", "networkx", "numba")

# runs the command in a fresh interpreter, then prints which heavy modules it imported
PROBE = """
import json, sys
sys.argv = ["titr", *json.loads(sys.argv[1])]
from titr.cli.main import run
try:
    run()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps(args)],
                       capture_output=True, text=True, timeout=120)
    return json.loads(r.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--help",), ("sweep", "--help"), ("assess", "--help")])
def test_help_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    assert imported_by(*args) == []


def test_validate_imports_no_heavy_library() -> None:
    assert imported_by("validate", "middle-corridor") == []
