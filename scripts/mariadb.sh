#!/usr/bin/env bash
# A throwaway MariaDB server for the MySQL connector's tests, on 127.0.0.1 only.
#   scripts/mariadb.sh start|stop|url
# Needs Debian's mariadb-server package (.ci/run installs it). Environment: MARIADB_PORT (53306),
# MARIADB_DIR, MARIADB_PASSWORD; MARIADB_TLS_CERT and MARIADB_TLS_KEY (PEM files, copied into the
# server's directory) make it serve TLS with that certificate (the connector's TLS tests use them).
set -euo pipefail
PORT="${MARIADB_PORT:-53306}"
TLS_CERT="${MARIADB_TLS_CERT:-}"
TLS_KEY="${MARIADB_TLS_KEY:-}"
DIR="${MARIADB_DIR:-/tmp/covenant-mariadb-$PORT}"
PASSWORD="${MARIADB_PASSWORD:-covenant-test}"
URL="mysql://covenant:$PASSWORD@127.0.0.1:$PORT/covenant"
SOCK="$DIR/mysqld.sock"

owner=()
if [ "$(id -u)" = 0 ]; then owner=(--user=mysql); fi

start() {
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || { echo "[mariadb] no MariaDB server: apt-get install mariadb-server" >&2; exit 1; }
  if mariadb-admin --socket="$SOCK" -u root ping >/dev/null 2>&1; then
    echo "[mariadb] already running at $URL" >&2
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown mysql: "$DIR"
  tls=()
  if [ -n "$TLS_CERT$TLS_KEY" ]; then
    [ -r "$TLS_CERT" ] && [ -r "$TLS_KEY" ] || { echo "[mariadb] MARIADB_TLS_CERT and MARIADB_TLS_KEY must both name readable PEM files" >&2; exit 2; }
    mkdir -p "$DIR/tls"
    cp "$TLS_CERT" "$DIR/tls/server-cert.pem"
    cp "$TLS_KEY" "$DIR/tls/server-key.pem"
    chmod 600 "$DIR/tls/server-key.pem"
    if [ "$(id -u)" = 0 ]; then chown -R mysql: "$DIR/tls"; fi
    tls=(--ssl-cert="$DIR/tls/server-cert.pem" --ssl-key="$DIR/tls/server-key.pem")
  fi
  mariadb-install-db "${owner[@]}" --datadir="$DIR/data" --auth-root-authentication-method=socket \
    --skip-test-db >"$DIR/install.log" 2>&1
  /usr/sbin/mariadbd "${owner[@]}" --datadir="$DIR/data" --socket="$SOCK" --port="$PORT" --bind-address=127.0.0.1 \
    --pid-file="$DIR/mysqld.pid" --log-error="$DIR/error.log" --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    --innodb-buffer-pool-size=256M "${tls[@]}" >/dev/null 2>&1 &
  for _ in $(seq 1 60); do
    mariadb-admin --socket="$SOCK" -u root ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb-admin --socket="$SOCK" -u root ping >/dev/null 2>&1 || { cat "$DIR/error.log" >&2; exit 1; }
  mariadb --socket="$SOCK" -u root <<SQL
CREATE DATABASE covenant;
CREATE USER 'covenant'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
GRANT ALL ON covenant.* TO 'covenant'@'127.0.0.1';
SQL
  echo "[mariadb] up at $URL${tls:+ (TLS)}" >&2
}

stop() {
  [ -d "$DIR" ] || return 0
  mariadb-admin --socket="$SOCK" -u root shutdown >/dev/null 2>&1 || true
  rm -rf "$DIR"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) echo "$URL" ;;
*) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
