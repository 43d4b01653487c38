#!/usr/bin/env bash
# A real Grafana server for development and tests, without Docker.
#
#   scripts/grafana.sh build   build the pinned Grafana server and its web UI from its Go module (cached)
#   scripts/grafana.sh start   build if needed, start it on 127.0.0.1 with the built plugin, wait until healthy
#   scripts/grafana.sh stop    stop it cleanly
#   scripts/grafana.sh status  print whether it runs, and where
#   scripts/grafana.sh run     start in the foreground (Ctrl-C stops it)
#
# The server is built from the official Grafana Go module fetched through the Go module
# proxy at a pinned commit (docs/grafana-server.md says which and why); its web UI is built with
# webpack from the same unpacked source. Environment:
#   GRAFANA_PORT (3000)  COVENANT_CACHE (~/.cache/covenant)  GRAFANA_RUN_DIR (<repo>/.run/grafana)
set -euo pipefail

# --- the pinned Grafana -------------------------------------------------------------------
GRAFANA_VERSION="11.2.0-pre"
GRAFANA_COMMIT="a89deaeb7365"
GRAFANA_TIME="20240624122844"
GRAFANA_MODULE_VERSION="v1.9.2-0.${GRAFANA_TIME}-${GRAFANA_COMMIT}"
# sha256 of the module zip as served by the proxy (the checksum database has no entry for it)
GRAFANA_ZIP_SHA256="08d4d1b2fd5f078cc020d55f4a5b02218cbde484d7dedd449e73221967c288b8"
# Grafana's nested modules at the same commit, as the repository's go.work builds them: path and zip sha256
NESTED_MODULES="
pkg/apimachinery cef7222256755459ef347316b37560359228b154ccae0173259b1b40678f88fe
pkg/apiserver 8b94de5e6f3625af918c9148d28dc47c045cc843c60a7e4866f2d73cc57a93a8
pkg/storage/unified/resource e6624b9a6fc44ab828921ee980b04721a72c6287bbfda9dcf0639627a45bdfaf
"
# Module upgrades the pinned commit needs to compile with the Go on these machines (Go 1.26):
# golang.org/x/tools before v0.26 fails in internal/tokeninternal ("invalid array length");
# prometheus/common v0.53 lacks expfmt.FmtText that k8s.io/component-base v0.29 needs (Grafana's go.work
# raises it through its other modules; v0.56 restored the constant).
GO_UPGRADES="
golang.org/x/tools v0.26.0
github.com/prometheus/common v0.56.0
"
WIRE_VERSION="v0.6.0"
XTOOLS_VERSION="v0.52.0"

# --- the pinned Grafana's front end (its web UI), built from the same unpacked source ---------
# Dependencies that point outside the registries (a git URL, a CDN tarball), replaced in package.json
# with registry versions: name and version.
UI_PACKAGE_REPLACEMENTS="
tether-drop 1.4.2
xlsx 0.18.5
"
# Go module zips drop every folder named vendor, so public/vendor/ is missing. Its old flot plugins,
# bootstrap and tagsinput are imported only by the Angular graph panel and legacy code; empty stubs
# (paths under public/) let webpack finish. Those legacy parts do not work in this UI.
UI_VENDOR_STUBS="
vendor/bootstrap/bootstrap.js
vendor/flot/jquery.flot.js
vendor/flot/jquery.flot.crosshair.js
vendor/flot/jquery.flot.dashes.js
vendor/flot/jquery.flot.fillbelow.js
vendor/flot/jquery.flot.gauge.js
vendor/flot/jquery.flot.selection.js
vendor/flot/jquery.flot.stack.js
vendor/flot/jquery.flot.stackpercent.js
vendor/flot/jquery.flot.time.js
vendor/tagsinput/bootstrap-tagsinput.js
"
UI_YARN=".yarn/releases/yarn-4.2.2.cjs"
UI_INSTALL="install --mode=skip-build"
UI_BUILD="webpack --config scripts/webpack/webpack.prod.js --env noMinify=1"
UI_NODE_OPTIONS="--max-old-space-size=8192"
# What Grafana's --homepath needs, kept after the build: defaults.ini, public/ (views, core plugins'
# plugin.json, build), the (empty) bundled-plugins folder it scans.
UI_KEEP="conf public plugins-bundled"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${COVENANT_CACHE:-$HOME/.cache/covenant}"
# The cache folder is keyed by everything that shapes the binary, so a changed recipe rebuilds.
RECIPE="$(printf '%s|%s|%s|%s|%s|%s' "$GRAFANA_MODULE_VERSION" "$NESTED_MODULES" "$GO_UPGRADES" "$WIRE_VERSION" \
  "$XTOOLS_VERSION" "$(go env GOVERSION 2>/dev/null)" | sha256sum | cut -c1-12)"
BUILD_DIR="$CACHE/grafana/$GRAFANA_MODULE_VERSION-$RECIPE"
SRC="$BUILD_DIR/src"
BIN="$BUILD_DIR/bin/grafana"
# The web UI lives next to the binary, keyed by its own recipe: Grafana's --homepath (conf/, public/ with
# public/build). A changed front-end recipe or Node.js version builds a new one.
UI_RECIPE="$(printf '%s|%s|%s|%s|%s|%s|%s|%s' "$UI_PACKAGE_REPLACEMENTS" "$UI_VENDOR_STUBS" "$UI_YARN" "$UI_INSTALL" \
  "$UI_BUILD" "$UI_NODE_OPTIONS" "$UI_KEEP" "$(node --version 2>/dev/null)" | sha256sum | cut -c1-12)"
HOMEPATH="$BUILD_DIR/ui-$UI_RECIPE"
UI_WORK="$BUILD_DIR/ui-work"
UI_LOG="$BUILD_DIR/ui-build.log"
# Yarn's package cache, shared by all recipes: a rebuild of the UI skips the downloads (not the registry).
YARN_CACHE="$CACHE/grafana/yarn-cache"
RUN_DIR="${GRAFANA_RUN_DIR:-$ROOT/.run/grafana}"
PORT="${GRAFANA_PORT:-3000}"
URL="http://127.0.0.1:$PORT"
PROXY="${GOPROXY:-https://proxy.golang.org}"
PROXY="${PROXY%%,*}"

log() { printf '[grafana] %s\n' "$*" >&2; }

go_env() {
  export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
  # Grafana's module versions are not in the checksum database the proxy serves; the zip is pinned by sha256 above.
  export GONOSUMDB="github.com/grafana/grafana${GONOSUMDB:+,$GONOSUMDB}"
}

# fetch_zip URL SHA256 DEST: download a module zip once and check it against its pinned sha256.
fetch_zip() {
  local url="$1" sum="$2" dest="$3"
  if [ ! -f "$dest" ] || ! echo "$sum  $dest" | sha256sum -c --quiet - >/dev/null 2>&1; then
    log "downloading ${url#"$PROXY"/}"
    curl -fsSL --retry 3 -o "$dest.tmp" "$url"
    mv "$dest.tmp" "$dest"
  fi
  echo "$sum  $dest" | sha256sum -c --quiet - || { log "checksum mismatch for $dest"; exit 1; }
}

# unzip_module ZIP DIR: unpack a module zip (one top folder, module@version) into DIR.
unzip_module() {
  local zip="$1" dir="$2" tmp
  tmp="$(mktemp -d "$BUILD_DIR/unpack.XXXXXX")"
  unzip -q "$zip" -d "$tmp"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$(find "$tmp" -mindepth 1 -maxdepth 8 -type d -name '*@v*' -prune | head -n 1)" "$dir"
  rm -rf "$tmp"
  chmod -R u+w "$dir"
}

fetch_source() {
  [ -f "$SRC/.covenant-ready" ] && return 0
  mkdir -p "$BUILD_DIR/zips"
  local base="$PROXY/github.com/grafana/grafana"
  fetch_zip "$base/@v/$GRAFANA_MODULE_VERSION.zip" "$GRAFANA_ZIP_SHA256" "$BUILD_DIR/zips/grafana.zip"
  unzip_module "$BUILD_DIR/zips/grafana.zip" "$SRC"
  local nested sum zip
  while read -r nested sum; do
    [ -n "$nested" ] || continue
    zip="$BUILD_DIR/zips/$(echo "$nested" | tr / _).zip"
    fetch_zip "$base/$nested/@v/v0.0.0-$GRAFANA_TIME-$GRAFANA_COMMIT.zip" "$sum" "$zip"
    unzip_module "$zip" "$SRC/$nested"
    printf 'replace github.com/grafana/grafana/%s => ./%s\n' "$nested" "$nested" >>"$SRC/go.mod"
  done <<<"$NESTED_MODULES"
  local mod ver
  while read -r mod ver; do
    [ -n "$mod" ] && printf 'replace %s => %s %s\n' "$mod" "$mod" "$ver" >>"$SRC/go.mod"
  done <<<"$GO_UPGRADES"
  # Go >= 1.22's ServeMux panics on the pprof patterns this Grafana's pyroscope dependency registers
  # (net/http/pprof now registers "GET /debug/pprof/"). The pre-1.22 mux behaviour is baked into the
  # Grafana binary only, not set in the environment, so plugin processes keep the modern mux.
  printf 'godebug httpmuxgo121=1\n' >>"$SRC/go.mod"
  touch "$SRC/.covenant-ready"
}

build_wire() {
  local wire="$CACHE/tools/wire-$WIRE_VERSION"
  if [ ! -x "$wire" ]; then
    log "building wire $WIRE_VERSION"
    local tmp
    tmp="$(mktemp -d)"
    (
      cd "$tmp"
      printf 'module wirebuild\n\ngo 1.22\n' >go.mod
      printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/google/wire/cmd/wire"\n' >tools.go
      GOFLAGS=-mod=mod go get "github.com/google/wire/cmd/wire@$WIRE_VERSION" "golang.org/x/tools@$XTOOLS_VERSION" >/dev/null 2>&1
      mkdir -p "$(dirname "$wire")"
      GOFLAGS=-mod=mod go build -o "$wire" github.com/google/wire/cmd/wire
    )
    rm -rf "$tmp"
  fi
  echo "$wire"
}

# ui_step NAME COMMAND...: run one step of the UI build with its output in $UI_LOG; time it, or name it and fail.
ui_step() {
  local name="$1" t=$SECONDS
  shift
  log "ui: $name"
  printf '\n==> %s\n' "$name" >>"$UI_LOG"
  # In a subshell outside any condition, so that errexit holds inside the step's functions.
  set +e
  (
    set -e
    "$@"
  ) >>"$UI_LOG" 2>&1
  local rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    log "ui: FAILED at step '$name' (exit $rc) after $((SECONDS - t)) s; last lines of $UI_LOG:"
    tail -n 40 "$UI_LOG" >&2
    exit 1
  fi
  log "ui: $name took $((SECONDS - t)) s"
}

ui_copy_source() {
  rm -rf "$UI_WORK"
  cp -a "$SRC" "$UI_WORK"
}

# Points the dependencies that live outside the registries at registry versions.
ui_patch_package_json() {
  node - "$UI_WORK/package.json" "$UI_PACKAGE_REPLACEMENTS" <<'JS'
const fs = require('fs');
const [file, list] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
for (const line of list.split('\n')) {
  const [name, version] = line.trim().split(/\s+/);
  if (!name) continue;
  const section = ['dependencies', 'devDependencies'].find((s) => pkg[s] && pkg[s][name]);
  if (!section) throw new Error(`package.json has no dependency ${name} to replace`);
  console.log(`${name}: ${pkg[section][name]} -> ${version}`);
  pkg[section][name] = version;
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
JS
}

ui_vendor_stubs() {
  local f
  for f in $UI_VENDOR_STUBS; do
    mkdir -p "$(dirname "$UI_WORK/public/$f")"
    [ -e "$UI_WORK/public/$f" ] || : >"$UI_WORK/public/$f"
    echo "stub public/$f"
  done
}

# The npm registry this machine reaches (YARN_NPM_REGISTRY_SERVER overrides it).
ui_registry() {
  echo "${YARN_NPM_REGISTRY_SERVER:-$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)}"
}

# shellcheck disable=SC2086 # UI_INSTALL holds yarn's arguments
ui_install() {
  (
    cd "$UI_WORK"
    YARN_NPM_REGISTRY_SERVER="$(ui_registry)" YARN_ENABLE_IMMUTABLE_INSTALLS=0 \
      YARN_CACHE_FOLDER="$YARN_CACHE" YARN_ENABLE_GLOBAL_CACHE=0 YARN_ENABLE_TELEMETRY=0 \
      YARN_ENABLE_PROGRESS_BARS=0 \
      node "$UI_YARN" $UI_INSTALL
  )
}

ui_webpack() {
  (
    cd "$UI_WORK"
    # shellcheck disable=SC2086 # UI_BUILD is a command line
    NODE_ENV=production NODE_OPTIONS="$UI_NODE_OPTIONS" node_modules/.bin/$UI_BUILD
    test -f public/build/assets-manifest.json
  )
}

# Keeps what serving needs ($UI_KEEP) as the homepath.
ui_assemble() {
  local tmp="$HOMEPATH.tmp" d
  rm -rf "$tmp"
  mkdir -p "$tmp"
  for d in $UI_KEEP; do
    cp -a "$UI_WORK/$d" "$tmp/"
  done
  printf 'recipe %s\nreplacements:%s\nstubs:%s\nyarn: %s %s\nbuild: NODE_ENV=production NODE_OPTIONS=%s %s\nkeep: %s\nnode: %s\n' \
    "$UI_RECIPE" "$UI_PACKAGE_REPLACEMENTS" "$UI_VENDOR_STUBS" "$UI_YARN" "$UI_INSTALL" "$UI_NODE_OPTIONS" "$UI_BUILD" \
    "$UI_KEEP" "$(node --version)" >"$tmp/.covenant-ui-recipe"
  rm -rf "$HOMEPATH"
  mv "$tmp" "$HOMEPATH"
  du -sh "$HOMEPATH/public/build" "$HOMEPATH"
}

# Builds Grafana's web UI from the unpacked source into $HOMEPATH (once per recipe).
build_ui() {
  [ -f "$HOMEPATH/.covenant-ui-recipe" ] && return 0
  command -v node >/dev/null 2>&1 || { log "ui: node is needed to build Grafana's web UI"; exit 1; }
  fetch_source
  # One UI build at a time per cache (test.sh's two servers, other checkouts): wait for a running one.
  exec 9>"$BUILD_DIR/ui.lock"
  if ! flock -n 9; then
    log "ui: another build of the web UI is running; waiting for it"
    flock 9
  fi
  [ -f "$HOMEPATH/.covenant-ui-recipe" ] && { exec 9>&-; return 0; }
  log "building Grafana's web UI into $HOMEPATH (log: $UI_LOG); 3-4 minutes on 2 cores"
  local started=$SECONDS
  : >"$UI_LOG"
  ui_step "copy the source to $UI_WORK" ui_copy_source
  ui_step "replace non-registry dependencies in package.json" ui_patch_package_json
  ui_step "stub the vendor files the Go module lacks" ui_vendor_stubs
  ui_step "yarn install (registry $(ui_registry), cache $YARN_CACHE)" ui_install
  ui_step "webpack production build" ui_webpack
  ui_step "keep $UI_KEEP as the homepath" ui_assemble
  ui_step "delete $UI_WORK (node_modules)" rm -rf "$UI_WORK"
  exec 9>&-
  log "built Grafana's web UI in $((SECONDS - started)) s"
}

build() {
  build_server
  build_ui
}

build_server() {
  if [ -x "$BIN" ]; then
    return 0
  fi
  go_env
  fetch_source
  local wire
  wire="$(build_wire)"
  cd "$SRC"
  if [ ! -f pkg/server/wire_gen.go ]; then
    log "generating pkg/server/wire_gen.go"
    "$wire" gen -tags oss ./pkg/server >/dev/null
  fi
  log "building Grafana $GRAFANA_VERSION ($GRAFANA_COMMIT); a cold build takes 10-20 minutes on 2 cores"
  local started=$SECONDS
  mkdir -p "$(dirname "$BIN")"
  go build -tags oss -trimpath \
    -ldflags "-checklinkname=0 -X main.version=$GRAFANA_VERSION -X main.commit=$GRAFANA_COMMIT -X main.buildBranch=main" \
    -o "$BIN.tmp" ./pkg/cmd/grafana
  mv "$BIN.tmp" "$BIN"
  log "built $BIN in $((SECONDS - started)) s"
}

write_config() {
  mkdir -p "$RUN_DIR"/{data,logs,plugins}
  ln -sfn "$ROOT/dist" "$RUN_DIR/plugins/covenant-contracts-app"
  cat >"$RUN_DIR/grafana.ini" <<EOF
# Written by scripts/grafana.sh: a local, offline Grafana for Covenant's development and tests.
app_mode = development
instance_name = covenant-dev

[server]
http_addr = 127.0.0.1
http_port = $PORT
root_url = $URL/

[paths]
data = $RUN_DIR/data
logs = $RUN_DIR/logs
plugins = $RUN_DIR/plugins
provisioning = $ROOT/provisioning

[database]
type = sqlite3
path = grafana.db

[security]
admin_user = admin
admin_password = admin
disable_gravatar = true

[users]
allow_sign_up = false

[auth]
# The browser tests log each user in once and share that session across the suite, which runs
# longer than Grafana's default 10-minute token rotation: a rotation by one page then logs the
# others out ("user token not found"). Rotate less often on this local test server.
token_rotation_interval_minutes = 240

[analytics]
reporting_enabled = false
check_for_updates = false
check_for_plugin_updates = false
feedback_links_enabled = false

[news]
news_feed_enabled = false

[plugins]
allow_loading_unsigned_plugins = covenant-contracts-app,covenant-kpi-datasource,covenant-kpitrend-panel
plugin_admin_enabled = false
public_key_retrieval_disabled = true
preinstall_disabled = true
plugin_catalog_url = http://127.0.0.1:9/catalog

# The registry's store folder, passed to the plugin as GF_PLUGIN_STORE_DIR.
[plugin.covenant-kpi-datasource]
store_dir = $RUN_DIR/data/covenant

[grafana_com]
url = http://127.0.0.1:9

[snapshots]
external_enabled = false

[unified_alerting]
enabled = true
min_interval = 10s

[log]
mode = file
level = info

[log.file]
log_rotate = false

[feature_toggles]
enable = publicDashboards
EOF
}

pid_file() { echo "$RUN_DIR/grafana.pid"; }

running() {
  local pid
  [ -f "$(pid_file)" ] && pid="$(cat "$(pid_file)")" && kill -0 "$pid" 2>/dev/null
}

wait_healthy() {
  local deadline=$((SECONDS + ${GRAFANA_START_TIMEOUT:-180}))
  while [ $SECONDS -lt $deadline ]; do
    if ! running; then
      log "Grafana exited during start-up; last log lines:"
      tail -n 40 "$RUN_DIR/logs/grafana.log" >&2 || true
      return 1
    fi
    if curl -fsS "$URL/api/health" 2>/dev/null | grep -q '"database": *"ok"'; then
      return 0
    fi
    sleep 1
  done
  log "Grafana did not become healthy at $URL within the time limit"
  return 1
}

check_plugin_built() {
  if [ ! -f "$ROOT/dist/plugin.json" ] || ! ls "$ROOT"/dist/datasource/gpx_covenant_kpi_linux_* >/dev/null 2>&1; then
    log "the plugin is not built: run 'npm run build' and 'mage -v' (or scripts/dev.sh) first"
    exit 1
  fi
}

start() {
  if running; then
    log "already running at $URL (pid $(cat "$(pid_file)"))"
    return 0
  fi
  build
  check_plugin_built
  write_config
  log "starting Grafana $GRAFANA_VERSION at $URL (logs: $RUN_DIR/logs/grafana.log)"
  : >"$RUN_DIR/logs/grafana.log"
  (
    cd "$RUN_DIR"
    export COVENANT_PROVISIONING="$ROOT/provisioning"
    exec "$BIN" server --homepath "$HOMEPATH" --config "$RUN_DIR/grafana.ini" \
      >"$RUN_DIR/logs/stdout.log" 2>&1
  ) &
  echo $! >"$(pid_file)"
  wait_healthy
  log "Grafana is up at $URL (admin/admin)"
}

stop() {
  if ! running; then
    rm -f "$(pid_file)"
    return 0
  fi
  local pid
  pid="$(cat "$(pid_file)")"
  kill -TERM "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "Grafana did not stop within 30 s; killing it"
    kill -KILL "$pid" || true
  fi
  rm -f "$(pid_file)"
  log "stopped"
}

case "${1:-}" in
build) build ;;
start) start ;;
stop) stop ;;
restart) stop; start ;;
status)
  if running; then echo "running at $URL (pid $(cat "$(pid_file)"))"; else echo "not running"; exit 1; fi ;;
run)
  start
  trap stop INT TERM
  log "press Ctrl-C to stop"
  while running; do sleep 2; done ;;
version) echo "$GRAFANA_VERSION $GRAFANA_COMMIT $GRAFANA_MODULE_VERSION" ;;
*) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
