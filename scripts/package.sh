#!/usr/bin/env bash
# Packages the built plugin (dist/) as artifacts/covenant-contracts-app-<version>.zip, the layout
# Grafana's plugin installer and validator expect (one top folder named after the plugin id).
# Run after `npm run build` and `mage -v`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ID=covenant-contracts-app
VERSION="$(node -p 'require("./package.json").version')"
[ -f dist/plugin.json ] || { echo "dist/ is not built: run npm run build and mage -v" >&2; exit 1; }
for exe in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64.exe; do
  [ -f "dist/datasource/gpx_covenant_kpi_$exe" ] || { echo "missing dist/datasource/gpx_covenant_kpi_$exe: run mage -v" >&2; exit 1; }
done
mkdir -p artifacts
rm -rf "artifacts/$ID" "artifacts/$ID-$VERSION.zip"
cp -r dist "artifacts/$ID"
(cd artifacts && zip -qr "$ID-$VERSION.zip" "$ID")
rm -rf "artifacts/$ID"
(cd artifacts && sha1sum "$ID-$VERSION.zip" >"$ID-$VERSION.zip.sha1")
echo "artifacts/$ID-$VERSION.zip"
