#!/usr/bin/env bash
# Runs every test of Covenant: Go (vet, unit, differential against a PostgreSQL and a MariaDB it starts),
# front end (typecheck, lint, jest), the build for all
# platforms, Grafana's plugin validator, the integration tests against a real Grafana server
# that this script starts on 127.0.0.1:${GRAFANA_TEST_PORT:-3300} and stops again, and the browser
# tests (@grafana/plugin-e2e: Debian's Chromium driven by Playwright in Grafana's own UI) on that
# server; screenshots land in test-artifacts/e2e.
# Needs: node_modules (npm ci), mage on PATH and /usr/bin/chromium; .ci/run installs them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${COVENANT_CACHE:-$HOME/.cache/covenant}"
export PATH="$CACHE/tools/bin:$(go env GOPATH)/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

step "Go: gofmt, go vet"
unformatted="$(gofmt -l pkg tests Magefile.go)"
[ -z "$unformatted" ] || { echo "gofmt needed on: $unformatted" >&2; exit 1; }
go vet ./...
go vet -tags integration ./tests/...
go vet -tags bench ./tests/...
go vet -tags load ./tests/...
go vet -tags postgres,mysql ./pkg/...

step "Go: unit tests"
go test -count=1 ./pkg/...
# The load test's harness (variables, intervals, percentiles, the dashboard, cache
# stats); the load test itself needs servers: scripts/load.sh.
go test -count=1 -tags load -skip '^TestLoad$' ./tests/load/

step "Go: fuzzing the SQLite connector's read-only guard (random SQL; the file must not change)"
go test -run '^$' -fuzz '^FuzzSQLiteGuard$' -fuzztime 20s ./pkg/connector/

step "Go: against PostgreSQL: the KPI engine (differential), the connector (push-down), the registry store (HA)"
bash scripts/postgres.sh start
trap 'bash scripts/postgres.sh stop' EXIT
COVENANT_PG_URL="$(bash scripts/postgres.sh url)" go test -count=1 -tags postgres -run PostgreSQL -v ./pkg/kpi/ ./pkg/connector/ ./pkg/store/ | grep -E '^(---|ok|FAIL|PASS|\s+\S+_test.go)'
test "${PIPESTATUS[0]}" -eq 0

step "Go: the MySQL connector against MariaDB (differential, push-down; TLS with a CA on a second, TLS server)"
bash scripts/mariadb.sh start
trap 'bash scripts/postgres.sh stop; bash scripts/mariadb.sh stop' EXIT
COVENANT_MYSQL_URL="$(bash scripts/mariadb.sh url)" go test -count=1 -tags mysql -run MySQL -v ./pkg/connector/ | grep -E '^(---|ok|FAIL|PASS|\s+\S+_test.go)'
test "${PIPESTATUS[0]}" -eq 0

step "Front end: typecheck, lint, jest"
npm run --silent typecheck
npm run --silent lint
npm run --silent i18n:check
npm run --silent test:ci

step "Build: front end and backend for linux/darwin/windows"
npm run --silent build >/dev/null
mage -v >/dev/null

step "Package and Grafana plugin validator"
zip_path="$(bash scripts/package.sh)"
bash scripts/validate.sh "$zip_path"

step "Integration tests on a real Grafana"
export GRAFANA_PORT="${GRAFANA_TEST_PORT:-3300}"
export GRAFANA_RUN_DIR="$ROOT/.run/grafana-test"
export GRAFANA_URL="http://127.0.0.1:$GRAFANA_PORT"
COVENANT_PG_URL="$(bash scripts/postgres.sh url)"
export COVENANT_PG_URL # the PostgreSQL connector's tests
COVENANT_MYSQL_URL="$(bash scripts/mariadb.sh url)"
export COVENANT_MYSQL_URL # the MySQL connector's security tests
# A second server, for Grafana in HA: both plugins share a PostgreSQL registry store.
second() { GRAFANA_PORT=$((GRAFANA_PORT + 1)) GRAFANA_RUN_DIR="$GRAFANA_RUN_DIR-2" bash scripts/grafana.sh "$@"; }
export GRAFANA_URL_2="http://127.0.0.1:$((GRAFANA_PORT + 1))"
bash scripts/grafana.sh stop >/dev/null 2>&1 || true
second stop >/dev/null 2>&1 || true
rm -rf "$GRAFANA_RUN_DIR" "$GRAFANA_RUN_DIR-2"
trap 'bash scripts/grafana.sh stop; second stop; bash scripts/postgres.sh stop; bash scripts/mariadb.sh stop' EXIT
bash scripts/grafana.sh start
second start
go test -count=1 -tags integration -v ./tests/integration/ 2>&1 | tee "$GRAFANA_RUN_DIR/integration.log" | grep -E '^(=== RUN|--- |\s+\S+_test.go:|ok|FAIL|PASS)'
test "${PIPESTATUS[0]}" -eq 0

second stop

step "Browser tests in Grafana's own UI with @grafana/plugin-e2e (screenshots in test-artifacts/e2e)"
rm -rf test-artifacts/e2e
npm run --silent test:e2e

step "All tests passed in $((SECONDS - started)) s"
