#!/usr/bin/env bash
# The whole test suite: install, then lint (ruff), type-check (mypy) and test (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/ensure-chromium.sh
python3 -m ruff check src tests benchmarks
python3 -m mypy
python3 -m pytest "$@"
