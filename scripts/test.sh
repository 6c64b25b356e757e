#!/usr/bin/env bash
# Runs every test: installs packages, builds, starts PostgreSQL and Redis on
# loopback ports of its own, runs unit, browser (headless Chromium) and integration
# tests (SQLite and PostgreSQL), the ThreadSanitizer unit tests and subset
# (scripts/tsan.sh), and stops what it started. The browser tests and the
# hostile-input subset run against the AddressSanitizer + UBSan server (scripts/asan.sh).
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --tsan     only the ThreadSanitizer build and its subset
#   scripts/test.sh ARGS...    everything; ARGS go to the integration pytest run
# Each libFuzzer target runs here for CI_FUZZ_SECONDS (default 5) on top of its
# corpus. Not here: the ASan+UBSan unit tests and the whole suite on that server
# (scripts/asan.sh, scripts/hardening.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tsan_only=0
IT_WORKERS=${IT_WORKERS:-3}  # integration pytest processes at once
# Each stage's start, with the minutes since the script began (CI's 40-minute budget).
stage() { echo "== $* (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }
if [ "${1:-}" = "--tsan" ]; then tsan_only=1; shift; fi
if [ "$tsan_only" = 1 ]; then scripts/install-deps.sh --test; else scripts/install-deps.sh --fuzz; fi
if [ "$tsan_only" = 0 ]; then
  stage "build"
  scripts/build.sh
  stage "benchmark programs"
  # The benchmark programs are not part of `all`: build them so that a change cannot break them unseen.
  CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 \
    flock /tmp/wp-build.lock cmake --build build -j"${JOBS:-2}" --target wp_loadgen wp_msgload wp_micro
  stage "asan+ubsan server"
  scripts/asan.sh --build-server
fi

work=$(mktemp -d /tmp/wp-test.XXXXXX)
chmod 755 "$work"  # the postgres user must reach its cluster inside
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  scripts/pg-stop.sh "$work/pg" || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Before the unit tests: the C++ tests of the PostgreSQL and Redis code (COPY, kept statements,
# presence scripts, the backplane) run against these, and skip without them.
pg_port=$(free_port)
WP_PG_URL=$(scripts/pg-start.sh "$work/pg" "$pg_port")
export WP_PG_URL
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
export WP_REDIS_URL="redis://127.0.0.1:$redis_port"

if [ "$tsan_only" = 0 ]; then
  stage "unit tests"
  (cd build && ctest --output-on-failure -j2)
  stage "fuzz targets (${CI_FUZZ_SECONDS:-5} s each)"
  FUZZ_SECONDS=${CI_FUZZ_SECONDS:-5} scripts/fuzz.sh
fi

stage "thread sanitizer"
if [ "$tsan_only" = 1 ]; then
  scripts/tsan.sh "$@"
  exit 0
fi
# A stage that fails is named at the end and the later stages still run: one CI run shows every failure.
failed=()
scripts/tsan.sh || failed+=("thread sanitizer")

stage "browser tests (asan+ubsan server)"
# Chromium takes most of this stage's CPU, so the slower server costs little here,
# and every page's requests and sockets go through ASan and UBSan. Nothing else runs
# beside it: run.sh runs two files at a time, then the sync-spread files alone.
scripts/asan.sh --run tests/e2e/run.sh || failed+=("browser tests")

stage "integration tests (sqlite, postgresql at $WP_PG_URL) in $IT_WORKERS processes; beside them the asan+ubsan subset"
# Several pytest processes at once (pytest-xdist): most of a test's time is spent waiting on its
# servers, and every server has its own database and Redis prefix. Each takes a whole file at a
# time, the longest files first (tests/integration/file_times.py), and the next when it is done.
# The hostile subset on the asan+ubsan server runs beside them. The TSAN subset keeps its own
# stage: beside the integration tests it made them 3-5 min slower.
scripts/asan.sh --ci >"$work/asan.log" 2>&1 & asan_pid=$!
/usr/bin/python3 -m pytest tests/integration -n "$IT_WORKERS" --dist loadfile -q -p no:cacheprovider \
  --durations=10 "$@" >"$work/integration.log" 2>&1 || failed+=("integration tests")
wait "$asan_pid" || failed+=("asan+ubsan subset")
echo "-- the integration tests"; tail -n 300 "$work/integration.log"
echo "-- the asan+ubsan subset"; tail -n 100 "$work/asan.log"
stage "done"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
