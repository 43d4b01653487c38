#!/usr/bin/env bash
# The load test (docs/benchmarks.md, "Load test"): starts PostgreSQL and a fresh Grafana with the
# built plugin (npm run build && mage first) on 127.0.0.1, loads 10M rows, runs 50 Viewers of the
# bundled contract dashboard for 60 s (tests/load), prints the results and writes them to
# .run/load-results.md, then stops both servers. Not part of scripts/test.sh.
#   scripts/load.sh
# Environment: GRAFANA_LOAD_PORT (3330), PG_PORT and PG_DIR (scripts/postgres.sh), and the test's
# LOAD_VIEWERS, LOAD_PG_VIEWERS, LOAD_DURATION, LOAD_REFRESH, LOAD_DRAIN, LOAD_ROWS,
# COVENANT_LOAD_WATERMARK, LOAD_RESULTS (tests/load/load_test.go says what each does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export GRAFANA_PORT="${GRAFANA_LOAD_PORT:-3330}"
export GRAFANA_RUN_DIR="$ROOT/.run/grafana-load"
export GRAFANA_URL="http://127.0.0.1:$GRAFANA_PORT"
if bash scripts/grafana.sh status >/dev/null 2>&1; then
  echo "[load] a Grafana already runs from $GRAFANA_RUN_DIR: stop it first (GRAFANA_PORT=$GRAFANA_PORT GRAFANA_RUN_DIR=$GRAFANA_RUN_DIR bash scripts/grafana.sh stop)" >&2
  exit 1
fi
# A fresh Grafana: its registry starts as a new install's (the three demo contracts).
rm -rf "$GRAFANA_RUN_DIR"
bash scripts/postgres.sh start
trap 'bash scripts/grafana.sh stop; bash scripts/postgres.sh stop' EXIT
bash scripts/grafana.sh start
GRAFANA_PID="$(cat "$GRAFANA_RUN_DIR/grafana.pid")"
export GRAFANA_PID
COVENANT_PG_URL="$(bash scripts/postgres.sh url)" go test -count=1 -tags load -timeout 15m -run '^TestLoad$' -v ./tests/load/
