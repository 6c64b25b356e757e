#!/usr/bin/env bash
# ThreadSanitizer run: builds build-tsan (server and unit tests with
# -fsanitize=thread), runs the unit tests, then the realtime integration tests
# against a TSAN server on SQLite and, when WP_PG_URL / WP_REDIS_URL name running
# services, on PostgreSQL with Redis (several nodes). Any race report fails it.
#
#   scripts/tsan.sh                       # build; unit tests; the bounded integration subset
#   scripts/tsan.sh tests/integration/... # build; unit tests; these integration tests instead
#   scripts/tsan.sh --unit                # build; unit tests (CI)
#   scripts/tsan.sh --integration [...]   # no build: the subset, or these tests (CI runs it beside
#                                         # the integration tests)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build() { flock /tmp/wp-build.lock "$@"; }
unit=1 integration=1
case "${1:-}" in
  --unit) unit=1 integration=0; shift ;;
  --integration) unit=0; shift ;;
esac
if [ "$unit" = 1 ]; then
  build cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWATCHPARTY_SANITIZE=thread \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DWATCHPARTY_BENCH=OFF -DWATCHPARTY_UNITY=ON >/dev/null
  build cmake --build build-tsan -j"${JOBS:-2}" --target watchparty unit_tests
fi
[ -x build-tsan/watchparty ] || { echo "no build-tsan/watchparty: scripts/tsan.sh --unit first" >&2; exit 1; }

reports=$(mktemp -d /tmp/wp-tsan.XXXXXX)
trap 'rm -rf "$reports"' EXIT
# Reports go to files (one per process); the run fails if any was written.
# Uninstrumented Debian libraries are covered by tests/tsan.supp.
export TSAN_OPTIONS="log_path=$reports/tsan second_deadlock_stack=1 history_size=4 suppressions=$root/tests/tsan.supp"

status=0
if [ "$unit" = 1 ]; then
  echo "== unit tests (tsan)"
  # Two shards at once: one TSAN process keeps to one core (2 minutes of CI at half the machine);
  # the tests already run side by side under the normal build's `ctest -j2`.
  # Left out: the recommender's quality test, one thread of arithmetic that TSAN slows
  # from 2 s to 66 s (the normal build runs it).
  shards=()
  for shard in 0 1; do
    GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=$shard build-tsan/unit_tests --gtest_brief=1 \
      --gtest_filter=-Recommender.BeatsMostPopularOnHitRateAt10 >"$reports/unit-$shard.log" 2>&1 &
    shards+=($!)
  done
  for shard in 0 1; do
    wait "${shards[$shard]}" || status=1
    cat "$reports/unit-$shard.log"
  done
fi

if [ "$integration" = 1 ] && [ $# -eq 0 ]; then
  # The realtime paths: rooms, playback, presence, buffering, chat, closing sockets, /ws/user/, messaging, scale-out;
  # and one concurrent path of each later module (polls' tick, event seats, a suspension closing sockets,
  # a broadcast to every socket, a ticket's notices).
  set -- tests/integration/test_parties_ws_playback.py tests/integration/test_parties_ws_session.py \
    tests/integration/test_parties_ws_chat.py tests/integration/test_parties_races.py \
    tests/integration/test_user_channel.py tests/integration/test_social_parties.py \
    tests/integration/test_messaging_live.py \
    tests/integration/test_notifications.py \
    tests/integration/test_parties_calls.py \
    tests/integration/test_parties_polls.py::test_a_hundred_concurrent_votes_are_counted_exactly \
    tests/integration/test_parties_polls.py::test_live_results_are_debounced_and_end_with_the_final_counts \
    tests/integration/test_events_races.py::test_forty_joins_on_ten_seats \
    tests/integration/test_moderation.py::test_suspension_refuses_login_closes_sockets_and_lifts \
    tests/integration/test_admin.py::test_broadcast_reaches_party_and_user_sockets_and_is_measured \
    tests/integration/test_support.py::test_a_ticket_from_open_to_closed_with_the_other_side_told
  [ -n "${WP_REDIS_URL:-}" ] && [ -n "${WP_PG_URL:-}" ] && set -- "$@" tests/integration/test_scale_out.py
fi
if [ "$integration" = 1 ]; then
  echo "== integration tests against a tsan server: $*"
  # Each test on one backend, chosen by a hash of its id (conftest.py, _on_its_backend): both
  # stores' code is still run, in half the time. WP_IT_ONE_BACKEND= runs both.
  # Two pytest processes, a file at a time each (pytest-xdist), as the integration stage runs:
  # the tests mostly wait on their servers, and one process left a core idle.
  WP_BIN="$root/build-tsan/watchparty" WP_IT_ONE_BACKEND=${WP_IT_ONE_BACKEND-1} \
    /usr/bin/python3 -m pytest "$@" -n "${TSAN_IT_WORKERS:-2}" --dist loadfile -q -p no:cacheprovider || status=$?
fi

if compgen -G "$reports/tsan*" >/dev/null; then
  echo "ThreadSanitizer reported:" >&2
  cat "$reports"/tsan* >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
echo "tsan: no reports"
