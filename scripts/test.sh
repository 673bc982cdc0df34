#!/usr/bin/env bash
# The whole test suite: install, then lint (ruff), type-check (mypy) and test (pytest).
# Tests run on every core (pytest-xdist; TITR_TEST_WORKERS=0 runs them in this process); a
# module's tests stay on one worker, so module fixtures (the built guide, a Chromium) are
# made once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/ensure-chromium.sh
python3 -m ruff check src tests benchmarks
python3 -m mypy
python3 -m pytest -n "${TITR_TEST_WORKERS:-auto}" --dist loadscope "$@"
