#!/usr/bin/env bash
# Install titr and its pinned dependencies (requirements.lock) into the current Python.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
python3 -m pip install -q -r requirements.lock
python3 -m pip install -q --no-deps -e .
