#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer run: builds build-asan (server
# and unit tests with -fsanitize=address,undefined, through the build lock and
# the shared ccache), runs the unit tests, then integration tests against the
# ASan server on SQLite and, when WP_PG_URL / WP_REDIS_URL name running
# services, on PostgreSQL with Redis. Any ASan, LeakSanitizer or UBSan report
# fails it, as does a failed test.
#
#   scripts/asan.sh                        # the whole integration suite (by hand; ~3x the normal time)
#   scripts/asan.sh --ci                   # the bounded hostile-input subset CI runs
#   scripts/asan.sh tests/integration/...  # these integration tests instead
#   scripts/asan.sh --build-only           # only the build (CI builds first, tests later)
#   scripts/asan.sh --no-build ...         # tests on the build-asan there is
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build() { flock /tmp/wp-build.lock "$@"; }
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  build cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWATCHPARTY_SANITIZE=address,undefined \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DWATCHPARTY_BENCH=OFF >/dev/null
  build cmake --build build-asan -j"${JOBS:-2}" --target watchparty unit_tests
  if [ "${1:-}" = "--build-only" ]; then exit 0; fi
fi

reports=$(mktemp -d /tmp/wp-asan.XXXXXX)
trap 'rm -rf "$reports"' EXIT
# Reports go to files (one per process); the run fails if any was written.
# A server killed with SIGKILL by a test writes none, which is fine: the
# others exit through their normal shutdown, where LeakSanitizer looks.
export ASAN_OPTIONS="log_path=$reports/asan detect_leaks=1 strict_string_checks=1 detect_stack_use_after_return=1 check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp print_suppressions=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan print_stacktrace=1"
# The ASan server is a few times slower: tests that must outpace it pace themselves by this.
export WP_TEST_SLOWDOWN="${WP_TEST_SLOWDOWN:-4}"

status=0
echo "== unit tests (asan+ubsan)"
build-asan/unit_tests --gtest_brief=1 || status=$?

ci=0
if [ "${1:-}" = "--ci" ]; then ci=1; shift; fi
if [ $# -eq 0 ] && [ "$ci" = 1 ]; then
  # What a hostile client reaches: HTTP framing, WebSocket frames and
  # messages, bodies (JSON, multipart, tus), authorization, socket limits.
  set -- tests/integration/test_http_framing.py tests/integration/test_ws_conformance.py \
    tests/integration/test_core_http.py tests/integration/test_hidden_objects.py \
    tests/integration/test_parties_ws_limits.py tests/integration/test_parties_ws_chat.py \
    tests/integration/test_videos_processing.py
elif [ $# -eq 0 ]; then
  set -- tests/integration
fi
echo "== integration tests against an asan+ubsan server: $*"
WP_BIN="$root/build-asan/watchparty" /usr/bin/python3 -m pytest "$@" -q -p no:cacheprovider || status=$?

if compgen -G "$reports/*san*" >/dev/null; then
  echo "Sanitizers reported:" >&2
  cat "$reports"/*san* >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
echo "asan+ubsan: no reports"
