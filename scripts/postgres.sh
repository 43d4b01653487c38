#!/usr/bin/env bash
# A throwaway PostgreSQL for tests, on 127.0.0.1:${PG_PORT:-55432}, database "covenant",
# user "covenant" (trust auth on loopback only). Debian's postgresql package provides the server.
#   scripts/postgres.sh start|stop|url
set -euo pipefail
PORT="${PG_PORT:-55432}"
DIR="${PG_DIR:-/tmp/covenant-postgres-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
# A password (not trust) on TCP, so that tests exercise the connector's secret.
PASSWORD="${PG_PASSWORD:-covenant-test}"
URL="postgres://covenant:$PASSWORD@127.0.0.1:$PORT/covenant?sslmode=disable"

as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

start() {
  [ -n "$BIN" ] || { echo "[postgres] no PostgreSQL server: apt-get install postgresql" >&2; exit 1; }
  if as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "[postgres] already running at $URL" >&2
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  printf '%s\n' "$PASSWORD" >"$DIR/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR/pwfile"
  as_pg "$BIN/initdb" -D "$DIR/data" -U covenant --auth-local=trust --auth-host=scram-sha-256 --pwfile="$DIR/pwfile" \
    -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
  rm -f "$DIR/pwfile"
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  as_pg "$BIN/createdb" -h "$DIR" -p "$PORT" -U covenant covenant
  echo "[postgres] up at $URL" >&2
}

stop() {
  [ -d "$DIR/data" ] || return 0
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) echo "$URL" ;;
*) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
