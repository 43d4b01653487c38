#!/usr/bin/env bash
# Runs Grafana's plugin validator (github.com/grafana/plugin-validator, plugincheck2) on the packaged
# plugin zip, one analyzer at a time, with the analyzers that work offline. Fails on any error finding,
# and on any listed analyzer that could not run. docs/validator.md explains the list.
#   scripts/validate.sh [artifacts/covenant-contracts-app-<version>.zip]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${COVENANT_CACHE:-$HOME/.cache/covenant}"
VALIDATOR_VERSION="v0.39.3"
GOSEC_VERSION="v2.22.0"
BIN="$CACHE/tools/plugincheck2-$VALIDATOR_VERSION"
ZIP="${1:-$(ls -t "$ROOT"/artifacts/covenant-contracts-app-*.zip | head -n 1)}"

# Analyzers that need nothing from the internet. Left out, because they must reach grafana.com,
# GitHub or an online database: brokenlinks, published-plugin, provenance, llmreview, osv-scanner,
# virusscan, org, legacyplatform, metadataschema, metadatavalid, metadatapaths, screenshots, codediff;
# and signature (local builds are unsigned).
ANALYZERS="archive archivename backendbinary backenddebug binarypermissions buildtools changelog checksum
circulardependencies code-rules discoverability go-manifest go-sec grafanadependency includesnested jargon
jsMap legacybuilder license logos manifest metadata modulejs nestedmetadata packagejson pluginname readme
restrictivedep safelinks sdkusage sourcecode sponsorshiplink templatereadme trackingscripts typesuffix
unsafesvg version"

if [ ! -x "$BIN" ]; then
  echo "[validate] building plugincheck2 $VALIDATOR_VERSION (its npm wrapper downloads a binary, which fails offline)" >&2
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    printf 'module pvbuild\n\ngo 1.24\n\nrequire github.com/grafana/plugin-validator %s\n' "$VALIDATOR_VERSION" >go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2"\n' >tools.go
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
    mkdir -p "$(dirname "$BIN")"
    GOFLAGS=-mod=mod go build -o "$BIN" github.com/grafana/plugin-validator/pkg/cmd/plugincheck2
  )
  rm -rf "$tmp"
fi
# gosec, for the go-sec analyzer (v2.22.0: later releases need modules the proxy here does not serve).
if [ ! -x "$CACHE/tools/bin/gosec" ]; then
  echo "[validate] installing gosec $GOSEC_VERSION" >&2
  GOBIN="$CACHE/tools/bin" GOFLAGS=-mod=mod go install "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"
fi
export PATH="$CACHE/tools/bin:$PATH"

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
