#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer: builds build-asan (server and
# unit tests with -fsanitize=address,undefined, through the build lock and the
# shared ccache) and runs tests against it. Any ASan, LeakSanitizer or UBSan
# report fails the run, as does a failed test. Integration tests run on SQLite
# and, when WP_PG_URL / WP_REDIS_URL name running services, on PostgreSQL with
# Redis.
#
#   scripts/asan.sh                        # build; unit tests; the whole integration suite in two processes (by hand)
#   scripts/asan.sh --hostile              # build; unit tests; the hostile-input subset (scripts/hardening.sh)
#   scripts/asan.sh tests/integration/...  # build; unit tests; these integration tests
#   scripts/asan.sh --build-server         # only the server's build (CI's build stage)
#   scripts/asan.sh --ci                   # no build, no unit tests: the hostile-input subset on SQLite (CI)
#   scripts/asan.sh --run CMD [ARGS...]    # CMD with WP_BIN naming the ASan server (CI runs the browser tests so)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build() {  # targets
  flock /tmp/wp-build.lock cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWATCHPARTY_SANITIZE=address,undefined -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-Og -g1" -DWATCHPARTY_BENCH=OFF \
    -DWATCHPARTY_UNITY=ON >/dev/null
  flock /tmp/wp-build.lock cmake --build build-asan -j"${JOBS:-2}" --target "$@"
}
# What a hostile client reaches: HTTP framing, WebSocket frames and messages,
# bodies (JSON, multipart, tus), authorization, socket limits.
hostile=(tests/integration/test_http_framing.py tests/integration/test_ws_conformance.py
  tests/integration/test_core_http.py tests/integration/test_hidden_objects.py
  tests/integration/test_parties_ws_limits.py tests/integration/test_parties_ws_chat.py
  tests/integration/test_videos_processing.py)

mode=${1:-}
case "$mode" in
  --build-server) build watchparty; exit 0 ;;
  --ci | --run) shift ;;
  --hostile) shift; build watchparty unit_tests; set -- "${hostile[@]}" ;;
  *) build watchparty unit_tests; [ $# -eq 0 ] && whole=1 ;;
esac
[ -x build-asan/watchparty ] || { echo "no build-asan/watchparty: scripts/asan.sh --build-server first" >&2; exit 1; }

status=0
reports=$(mktemp -d /tmp/wp-asan.XXXXXX)
trap 'rm -rf "$reports"' EXIT
# Reports go to files (one per process); the run fails if any was written.
# A server killed with SIGKILL by a test writes none, which is fine: the
# others exit through their normal shutdown, where LeakSanitizer looks.
export ASAN_OPTIONS="log_path=$reports/asan detect_leaks=1 strict_string_checks=1 detect_stack_use_after_return=1 check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp print_suppressions=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan print_stacktrace=1"
export WP_BIN="$root/build-asan/watchparty" WP_ASAN=1
# The ASan server is a few times slower: tests that must outpace it pace themselves by this.
export WP_TEST_SLOWDOWN="${WP_TEST_SLOWDOWN:-4}"

case "$mode" in
  --run) "$@" || status=$? ;;
  --ci)
    echo "== the hostile-input subset on SQLite against an asan+ubsan server"
    /usr/bin/python3 -m pytest "${hostile[@]}" -k sqlite -q -p no:cacheprovider || status=$? ;;
  *)
    echo "== unit tests (asan+ubsan)"
    build-asan/unit_tests --gtest_brief=1 || status=$?
    if [ "${whole:-0}" = 1 ]; then
      # The whole suite in two processes at once (pytest-xdist, a file at a time): most of a
      # test's time is spent waiting on its server, and an ASan server is slower than CI's.
      echo "== the whole integration suite against an asan+ubsan server, in two processes"
      /usr/bin/python3 -m pytest tests/integration -n 2 --dist loadfile -q -p no:cacheprovider --durations=10 \
        || status=1
    else
      echo "== integration tests against an asan+ubsan server: $*"
      /usr/bin/python3 -m pytest "$@" -q -p no:cacheprovider || status=$?
    fi ;;
esac

if compgen -G "$reports/*san*" >/dev/null; then
  echo "Sanitizers reported:" >&2
  cat "$reports"/*san* >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
echo "asan+ubsan: no reports"
