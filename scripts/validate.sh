#!/usr/bin/env bash
# Runs Grafana's plugin validator (github.com/grafana/plugin-validator, plugincheck2) on the packaged
# plugin zip, one analyzer at a time, with the analyzers that work offline. Fails on any error finding,
# and on any listed analyzer that could not run. docs/validator.md explains the list.
# plugincheck2 is built with one added file that lets the metadataschema step read plugin.json's schema
# from the copy the validator's own module ships (config/plugin.schema.json) instead of downloading it,
# so metadatavalid, screenshots and metadatapaths run offline.
#   scripts/validate.sh [artifacts/covenant-contracts-app-<version>.zip]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${COVENANT_CACHE:-$HOME/.cache/covenant}"
VALIDATOR_VERSION="v0.39.3"
GOSEC_VERSION="v2.22.0"
BIN="$CACHE/tools/plugincheck2-$VALIDATOR_VERSION-offline"
SCHEMA="$CACHE/tools/plugincheck2-$VALIDATOR_VERSION.plugin.schema.json"
ZIP="${1:-$(ls -t "$ROOT"/artifacts/covenant-contracts-app-*.zip | head -n 1)}"

# Analyzers that need nothing from the internet (brokenlinks only for its relative-link rule: its
# broken-link rule, which fetches every link, is off in plugin-validator.yaml). Left out, because they
# must reach grafana.com, GitHub, an LLM or an online database, or check nothing without them:
# published-plugin, org, legacyplatform, provenance, llmreview, codediff, osv-scanner, virusscan.
ANALYZERS="archive archivename backendbinary backenddebug binarypermissions brokenlinks buildtools changelog
checksum circulardependencies code-rules discoverability go-manifest go-sec grafanadependency includesnested
jargon jsMap legacybuilder license logos manifest metadata metadatapaths metadatavalid modulejs
nestedmetadata packagejson pluginname readme restrictivedep safelinks screenshots sdkusage signature
sourcecode sponsorshiplink templatereadme trackingscripts typesuffix unsafesvg version"

if [ ! -x "$BIN" ] || [ ! -s "$SCHEMA" ]; then
  echo "[validate] building plugincheck2 $VALIDATOR_VERSION (its npm wrapper downloads a binary, which fails offline)" >&2
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    printf 'module pvbuild\n\ngo 1.24\n\nrequire github.com/grafana/plugin-validator %s\n' "$VALIDATOR_VERSION" >go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2"\n' >tools.go
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
    mod="$(GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/grafana/plugin-validator)"
    # plugincheck2's own sources, unchanged, plus offline_schema.go (go build -overlay cannot add a file
    # to a package in the module cache, so the package is built from a copy here).
    mkdir plugincheck2
    cp "$mod"/pkg/cmd/plugincheck2/main.go "$mod"/pkg/cmd/plugincheck2/quickmeta.go plugincheck2/
    cat >plugincheck2/offline_schema.go <<'GO'
package main

// Added by Covenant's scripts/validate.sh; not part of the plugin validator. With
// PLUGINCHECK_SCHEMA_FILE set, the metadataschema step reads plugin.json's JSON schema from
// that file instead of downloading it from raw.githubusercontent.com (offline, the download
// fails and so do metadatavalid, screenshots and metadatapaths, which need its result).

import (
	"os"

	"github.com/grafana/plugin-validator/pkg/analysis"
	"github.com/grafana/plugin-validator/pkg/analysis/passes/metadataschema"
)

func init() {
	path := os.Getenv("PLUGINCHECK_SCHEMA_FILE")
	if path == "" {
		return
	}
	metadataschema.Analyzer.Run = func(*analysis.Pass) (interface{}, error) { return os.ReadFile(path) }
}
GO
    mkdir -p "$(dirname "$BIN")"
    GOFLAGS=-mod=mod go build -o "$BIN" ./plugincheck2
    # The schema the validator's module ships, kept in step with Grafana's by its maintainers.
    install -m 0644 "$mod/config/plugin.schema.json" "$SCHEMA"
  )
  rm -rf "$tmp"
fi
# gosec, for the go-sec analyzer (v2.22.0: later releases need modules the proxy here does not serve).
if [ ! -x "$CACHE/tools/bin/gosec" ]; then
  echo "[validate] installing gosec $GOSEC_VERSION" >&2
  GOBIN="$CACHE/tools/bin" GOFLAGS=-mod=mod go install "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"
fi
export PATH="$CACHE/tools/bin:$PATH"
export PLUGINCHECK_SCHEMA_FILE="$SCHEMA"

# plugincheck2 unpacks the zip and the source into $TMPDIR for every run and never removes them
# (about 55 MB a run); give it a private TMPDIR that is removed on exit.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$work/covenant-src.zip"
(cd "$ROOT" && git ls-files -z | xargs -0 zip -q "$src")

errors=0
failed=""
printf '[validate] %s\n' "$(basename "$ZIP")"
for a in $ANALYZERS; do
  out="$(TMPDIR="$work" DEBUG=1 "$BIN" -analyzer "$a" -config "$ROOT/scripts/plugin-validator.yaml" -sourceCodeUri "$src" "$ZIP" 2>&1 || true)"
  e="$(printf '%s\n' "$out" | grep -c '^error:' || true)"
  w="$(printf '%s\n' "$out" | grep -c '^warning:' || true)"
  status="ok"
  if printf '%s\n' "$out" | grep -q 'check failed'; then
    status="did not run: $(printf '%s\n' "$out" | grep -o 'check failed.*' | head -n 1 | cut -c1-120)"
    failed="$failed $a"
  fi
  printf '  %-22s errors %s  warnings %s  %s\n' "$a" "$e" "$w" "$status"
  printf '%s\n' "$out" | grep -A1 -E '^(error|warning):' | sed 's/^/      /' || true
  errors=$((errors + e))
done
if [ "$errors" -gt 0 ] || [ -n "$failed" ]; then
  echo "[validate] FAILED: $errors error(s); analyzers that did not run:${failed:- none}" >&2
  exit 1
fi
echo "[validate] passed: $(echo $ANALYZERS | wc -w) analyzers, 0 errors"
