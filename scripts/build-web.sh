#!/usr/bin/env bash
# Builds the web client into web/dist (Vite + precompressed .gz files). Runs `npm ci` only
# when node_modules does not match package-lock.json, and rebuilds only when a source
# file is newer than the last build.
set -euo pipefail
cd "$(dirname "$0")/../web"
# Vite 7 needs Node >= 20.19 (Debian 12's own nodejs is 18: use NodeSource's or newer).
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "node $(node -v) is too old for the web client build (needs >= 20.19): skipping web/dist" >&2
  exit 0
fi
stamp=node_modules/.wp-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  rm -rf dist
  cp package-lock.json "$stamp"
fi
if [ -f dist/index.html ] && [ -z "$(find src public index.html package-lock.json vite.config.ts tsconfig.json scripts -newer dist/index.html -print -quit)" ]; then
  exit 0
fi
log=$(mktemp)
if ! npm run --silent build >"$log" 2>&1; then cat "$log" >&2; rm -f "$log"; exit 1; fi
rm -f "$log"
echo "web client built: web/dist"
