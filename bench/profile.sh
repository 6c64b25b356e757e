#!/usr/bin/env bash
# Profiles the server on the chat fan-out path (figure 3 shape, faster rate)
# with perf's software cpu-clock sampler (this VM has no hardware counters:
# `perf stat -e instructions` says "not supported", sampling on cpu-clock works).
# Usage: bench/profile.sh [MEMBERS] [RATE_HZ]   -> reports in build/bench-results/profile-*.txt
# Needs build/watchparty and build/wp_loadgen (scripts/bench.sh builds both).
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000}
rate=${2:-50}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=build/bench-results
mkdir -p "$out"
work=$(mktemp -d /tmp/wp-profile.XXXXXX)
build/watchparty serve --host 127.0.0.1 --port 0 --data-dir "$work" --io-threads 2 --max-connections 19000 \
  --access-log false --password-hash-cost min --ws-flood-burst 100000 --ws-flood-rate 100000 \
  --access-token-ttl-s 3600 >"$work/log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true; rm -rf "$work"' EXIT
port=""
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
build/wp_loadgen register --port "$port" --users "$members" --out "$work/tokens" >/dev/null
build/wp_loadgen fanout --port "$port" --tokens "$work/tokens" --members "$members" --rate "$rate" --duration 6 \
  --rounds 2 --server-pid "$spid" >"$out/profile-fanout.json" 2>"$work/lg.log" &
lg=$!
# Record once every member is connected (the loadgen logs it).
until grep -q "connected" "$work/lg.log" 2>/dev/null; do sleep 0.5; done
perf record -q -e cpu-clock -F 400 --call-graph dwarf,8192 -p "$spid" -o "$work/perf.data" -- sleep 8 2>/dev/null
wait $lg || true
perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
  grep '%' | sed 's/  */ /g' | cut -c1-200 | head -60 >"$out/profile-self.txt" || true
perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -v "^#" |
  grep '%' | sed 's/  */ /g' | cut -c1-200 | head -120 >"$out/profile-children.txt" || true
echo "wrote $out/profile-self.txt, $out/profile-children.txt, $out/profile-fanout.json"
