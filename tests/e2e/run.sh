#!/usr/bin/env bash
# Browser tests: playwright-core driving Debian's /usr/bin/chromium (no browser download),
# against the real server (build/watchparty) serving the built client (web/dist).
# Usage: tests/e2e/run.sh [test files...]   (env: WP_BIN, WP_CHROMIUM, WP_E2E_SCREENSHOTS=dir)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "browser tests need node and npm" >&2; exit 1
fi
chromium=${WP_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "browser tests need $chromium (scripts/install-deps.sh --test)" >&2; exit 1; }
[ -f "$root/web/dist/index.html" ] || { echo "web/dist is missing: run scripts/build.sh (or: cd web && npm ci && npm run build)" >&2; exit 1; }
# npm ci only when the lock changed since the last install
stamp=node_modules/.wp-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json "$stamp"
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ $# -eq 0 ]; then set -- *.test.mjs; fi
exec node --test --test-concurrency=1 --test-timeout=300000 "$@"
