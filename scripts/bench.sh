#!/usr/bin/env bash
# Benchmarks that need real servers (docs/benchmarks.md): starts PostgreSQL and Grafana (with the
# built plugin: npm run build && mage first), runs tests/bench, stops them.
#   scripts/bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export GRAFANA_PORT="${GRAFANA_BENCH_PORT:-3310}"
export GRAFANA_RUN_DIR="$ROOT/.run/grafana-bench"
export GRAFANA_URL="http://127.0.0.1:$GRAFANA_PORT"
bash scripts/postgres.sh start
trap 'bash scripts/grafana.sh stop; bash scripts/postgres.sh stop' EXIT
bash scripts/grafana.sh start
COVENANT_PG_URL="$(bash scripts/postgres.sh url)" go test -count=1 -tags bench -timeout 60m -v ./tests/bench/
