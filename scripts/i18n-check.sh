#!/usr/bin/env bash
# Fails when the catalogues in src/locales/ are not what the code says (a key added, changed or gone
# without `npm run i18n:extract`), or when one key is given two different English texts. The parser
# warns about t(key, text, { ...unescaped }) that it cannot read the options of; those are fine.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(npx i18next --config i18next-parser.config.cjs --fail-on-update 2>&1)
rc=$?
problems=$(grep -E '\[(warning|error)\]' <<<"$out" | grep -v 'spread operator' || true)
if [ -n "$problems" ] || [ "$rc" -ne 0 ]; then
  echo "$problems"
  echo "i18n: the catalogues are out of date or inconsistent; run npm run i18n:extract and translate what is new (docs/translations.md)" >&2
  exit 1
fi
