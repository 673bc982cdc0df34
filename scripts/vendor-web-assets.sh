#!/usr/bin/env bash
# Re-vendor the offline web assets with their licences: the report's (Leaflet, topojson-client,
# world-atlas) into the package, the guide's search shim (iframe-worker) into docs/assets, and
# axe-core for the browser tests into tests/vendor. Needs npm only when run.
set -euo pipefail

LEAFLET=1.9.4
TOPOJSON_CLIENT=3.1.0
WORLD_ATLAS=2.0.2
IFRAME_WORKER=1.0.4  # the guide's offline search from file:// (docs/assets, not the package)
AXE_CORE=4.14.1  # accessibility checks of the browser tests (tests/vendor, not the package)

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/titr/report/vendor"
tests_dest="$here/tests/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm init -y >/dev/null
npm install --save-exact --no-audit --no-fund --ignore-scripts \
  "leaflet@$LEAFLET" "topojson-client@$TOPOJSON_CLIENT" "world-atlas@$WORLD_ATLAS" "axe-core@$AXE_CORE" "iframe-worker@$IFRAME_WORKER" >/dev/null

mkdir -p "$dest"
nm="$tmp/node_modules"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$dest/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$dest/"
cp "$nm/world-atlas/countries-50m.json" "$dest/"
cp "$nm/leaflet/LICENSE" "$dest/LICENSE-leaflet"
cp "$nm/topojson-client/LICENSE" "$dest/LICENSE-topojson-client"
cp "$nm/world-atlas/LICENSE" "$dest/LICENSE-world-atlas"

mkdir -p "$here/docs/assets/iframe-worker"
cp "$nm/iframe-worker/shim/index.js" "$here/docs/assets/iframe-worker/shim.js"
cp "$nm/iframe-worker/LICENSE" "$here/docs/assets/iframe-worker/LICENSE"

mkdir -p "$tests_dest"
cp "$nm/axe-core/axe.min.js" "$tests_dest/"
cp "$nm/axe-core/LICENSE" "$tests_dest/LICENSE-axe-core"
echo "axe-core $AXE_CORE (MPL-2.0): axe.min.js — run in the browser tests" > "$tests_dest/VERSIONS"

cat > "$dest/VERSIONS" <<VERS
leaflet $LEAFLET (BSD-2-Clause): leaflet.js, leaflet.css
topojson-client $TOPOJSON_CLIENT (ISC): topojson-client.min.js
world-atlas $WORLD_ATLAS (ISC; data: Natural Earth 4.1.0, public domain): countries-50m.json
Re-vendor with scripts/vendor-web-assets.sh.
VERS
ls -l "$dest" "$tests_dest"
