#!/usr/bin/env bash
# Browser tests: playwright-core driving Debian's /usr/bin/chromium (no browser download),
# against the real server (build/watchparty) serving the built client (web/dist).
# Usage: tests/e2e/run.sh [test files...]   (env: WP_BIN, WP_CHROMIUM, WP_E2E_SCREENSHOTS=dir,
#   E2E_CONCURRENCY: files at once, default 2)
# Each file starts its own servers and browser on free ports, so files run side by side: one
# Chromium and one server leave the 2 cores about half idle. The files that measure sync spreads
# in milliseconds run afterwards, one at a time, with nothing beside them.
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
run() { node --test --test-concurrency="$1" --test-timeout=300000 "${@:2}"; }
if [ $# -gt 0 ]; then
  run 1 "$@"
  exit
fi
alone=(sync.test.mjs sync-two-nodes.test.mjs buffering.test.mjs)
beside=()
for f in *.test.mjs; do [[ " ${alone[*]} " == *" $f "* ]] || beside+=("$f"); done
status=0
run "${E2E_CONCURRENCY:-2}" "${beside[@]}" || status=$?
run 1 "${alone[@]}" || status=$?
exit "$status"
