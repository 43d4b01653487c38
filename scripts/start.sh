#!/usr/bin/env bash
# Quick start: builds Covenant and runs a real Grafana with it and the demo data on
# http://127.0.0.1:${GRAFANA_PORT:-3000} (admin/admin), in the foreground; Ctrl-C stops it.
# No Docker needed. The first run builds the Grafana server from its Go module (10-20 minutes)
# and Grafana's web UI from the same source (about 4 minutes more).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${COVENANT_CACHE:-$HOME/.cache/covenant}"
export PATH="$CACHE/tools/bin:$(go env GOPATH)/bin:$PATH"
[ -d node_modules ] || npm ci --no-audit --no-fund
command -v mage >/dev/null 2>&1 || GOBIN="$CACHE/tools/bin" GOFLAGS=-mod=mod go install github.com/magefile/mage@v1.15.0
npm run --silent build >/dev/null
mage local
exec bash scripts/grafana.sh run
