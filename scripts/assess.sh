#!/usr/bin/env bash
# The main job: install, then assess the built-in Middle Corridor scenario.
# Extra arguments go to `titr assess` (e.g. --years 2024-2030).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
python3 -m titr assess "$@"
