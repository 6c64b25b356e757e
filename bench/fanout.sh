#!/usr/bin/env bash
# Figures 3 and 8 alone (fan-out latency and server CPU per delivery), run
# exactly as scripts/bench.sh runs them, against the binaries of any build
# dir, without building and without touching bench/RESULTS.md; one summary
# line per round, with the load average before and after.
#   bench/fanout.sh [BUILD_DIR] [MEMBERS...]      # default: build 1000 5000
#   WP_SERVER=/other/build/watchparty bench/fanout.sh build 1000   # another server, the same load generator
#   CONNECT_PARALLEL=64 bench/fanout.sh build 1000   # members joining at a time while the room fills (default 25, as scripts/bench.sh)
#   USERS=10000 RATE=5 bench/fanout.sh build 10000    # the 10,000-member party: distinct users (default 1000:
#                                                      # more members are more tabs), chat messages per second (default 10)
# With wp_sendfloor built (cmake --build build --target wp_sendfloor), each size's summary ends
# with the kernel's own price of a bare write to as many loopback sockets.
# Run it holding the build lock, so that no build shares the CPUs:
#   flock /tmp/wp-build.lock bench/fanout.sh build 1000 5000
set -euo pipefail
cd "$(dirname "$0")/.."
bdir=${1:-build}
shift || true
sizes=${*:-1000 5000}
server=${WP_SERVER:-$bdir/watchparty}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/wp-fanout.XXXXXX)
chmod 755 "$work"
. bench/lib.sh
spid=""
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
start_bench_server "$server" "$work"
users=${USERS:-1000}
"$bdir/wp_loadgen" register --port "$port" --users "$users" --out "$work/tokens" --concurrency 8 >/dev/null
echo "server $server (built $(date -u -r "$server" +%H:%M)), load generator $bdir/wp_loadgen"
for m in $sizes; do
  echo "load before $m: $(cat /proc/loadavg)"
  "$bdir/wp_loadgen" fanout --port "$port" --tokens "$work/tokens" --members "$m" --users "$((m < users ? m : users))" --rate "${RATE:-10}" --duration 3 \
    --rounds 3 --server-pid "$spid" --connect-parallel "${CONNECT_PARALLEL:-25}" >"$work/fig_$m.json"
  echo "load after $m: $(cat /proc/loadavg)"
  /usr/bin/python3 - "$work/fig_$m.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f'  {r["members"]} members joined in {r["join_ms"] / 1000:.1f} s, server CPU {r["join_server_cpu_s"]:.2f} s')
for i, x in enumerate(r["rounds"]):
    print(f'  {r["members"]} members, round {i + 1}: p50 {x["p50_ms"]:.1f} ms, p99 {x["p99_ms"]:.1f} ms, '
          f'max {x["max_ms"]:.1f} ms (in the socket: p50 {x["arrival_p50_ms"]:.1f}, p99 {x["arrival_p99_ms"]:.1f}, '
          f'max {x["arrival_max_ms"]:.1f} ms), delivered {x["delivered"]}/{x["expected"]}, '
          f'server CPU {x["server_cpu_s_per_100k"]:.2f} s per 100k ({x["server_cpu_s_per_100k"] * 10:.1f} us each, '
          f'{x["server_user_cpu_s_per_100k"] * 10:.1f} us of it in user space), '
          f'load generator {x.get("loadgen_cpu_s_per_100k", float("nan")) * 10:.1f} us each')
print(f'  sockets live {r["sockets_live"]}, closed during run {r["closed_during_run"]}, '
      f'per member after {r["idle_s"]:.0f} s idle: RSS {r["rss_per_member_kib"]:.1f} KiB, '
      f'anonymous RSS {r["rss_anon_per_member_kib"]:.1f} KiB')
PY
  # The kernel's own price of such a write, for comparison (bench/NOTES.md, "the floor").
  if [ -x "$bdir/wp_sendfloor" ]; then
    echo "  floor (bare writes, $bdir/wp_sendfloor): $("$bdir/wp_sendfloor" --sockets "$m" --rate "${RATE:-10}")"
  fi
done
