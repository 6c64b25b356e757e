#!/usr/bin/env bash
# The hardening checks of issue #24, bounded, as one command beside CI
# (scripts/test.sh does not run them: from a cold clone their builds alone
# would take CI past its 40 minutes; docs/security.md has the figures).
# Installs clang-14, starts PostgreSQL and Redis on loopback ports of its own,
# runs every libFuzzer target for a short time (FUZZ_SECONDS each, default 15)
# and the ASan+UBSan server under the hostile-input subset on SQLite,
# PostgreSQL and two nodes; stops what it started. Any crash or sanitizer
# report fails it.
#   scripts/hardening.sh               both
#   scripts/hardening.sh --fuzz-only   only the fuzz targets
#   scripts/hardening.sh --asan-only   only the sanitizer build and its subset
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
scripts/install-deps.sh --fuzz
status=0
if [ "$what" != "--asan-only" ]; then
  echo "== fuzz targets (${FUZZ_SECONDS:-15} s each)"
  FUZZ_SECONDS=${FUZZ_SECONDS:-15} scripts/fuzz.sh || status=1
fi
[ "$what" = "--fuzz-only" ] && exit "$status"

work=$(mktemp -d /tmp/wp-hardening.XXXXXX)
chmod 755 "$work"  # the postgres user must reach its cluster inside
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  scripts/pg-stop.sh "$work/pg" || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
pg_port=$(free_port)
WP_PG_URL=$(scripts/pg-start.sh "$work/pg" "$pg_port")
export WP_PG_URL
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
export WP_REDIS_URL="redis://127.0.0.1:$redis_port"
echo "== asan+ubsan server, hostile-input subset"
scripts/asan.sh --hostile || status=1
exit "$status"
