#!/usr/bin/env bash
# Runs the benchmarks of issue #8 on loopback and writes bench/RESULTS.md.
# Builds build/watchparty, wp_loadgen and wp_micro, starts its own servers
# (and an nginx for the HTTP reference) on free loopback ports, and stops
# them on exit. About 9 minutes of measurement on 2 cores (figure 7: 2.5), plus
# the build; under the 15-minute budget of issue #8. Not part of scripts/test.sh.
#
#   scripts/bench.sh            # everything
#   BENCH_ONLY="1 3" scripts/bench.sh   # some figures (1 2 3 4 5 6 7 8 micro); RESULTS.md gets what ran
#
# Figure 7 (two nodes) also starts a PostgreSQL cluster (scripts/pg-start.sh)
# and a redis-server on loopback in the work dir, and restarts that Redis
# during its last part; it needs the test packages (install-deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ONLY=" ${BENCH_ONLY:-1 2 3 4 5 6 7 8 micro} "
want() { [[ "$ONLY" == *" $1 "* ]]; }

# Thousands of sockets on both ends: raise the descriptor limit as far as allowed.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "fd limit: $(ulimit -n)"

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    echo "installing $tool"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# Paths relative to the checkout, as scripts/build.sh: another clone's objects are reused.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build() { flock /tmp/wp-build.lock "$@"; }
[ -f build/CMakeCache.txt ] || build cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
build cmake -S . -B build -DWATCHPARTY_BENCH=ON >/dev/null
build cmake --build build -j2 --target watchparty wp_loadgen wp_micro

work=$(mktemp -d /tmp/wp-bench.XXXXXX)
chmod 755 "$work"
# Raw outputs stay in build/bench-results (one file per figure, replaced when
# that figure runs again), so that RESULTS.md can combine partial runs.
out="$root/build/bench-results"
mkdir -p "$out"
pids=()
REDIS_PID="" PG_DIR=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  sleep 0.5
  [ -n "$PG_DIR" ] && scripts/pg-stop.sh "$PG_DIR" || true
  rm -rf "$work"
}
trap cleanup EXIT

. bench/lib.sh
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
LG=build/wp_loadgen

# start_server NAME [flags...] -> sets SPORT SPID SDIR
start_server() {
  local name=$1
  shift
  SDIR="$work/$name"
  mkdir -p "$SDIR"
  build/watchparty serve --host 127.0.0.1 --port 0 --data-dir "$SDIR" --io-threads 2 --max-connections 19000 \
    --access-log false --access-token-ttl-s 3600 "$@" >"$SDIR/log" 2>&1 &
  SPID=$!
  pids+=("$SPID")
  SPORT=""
  for _ in $(seq 100); do
    SPORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$SDIR/log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$SPORT" ] && break
    sleep 0.1
  done
  [ -n "$SPORT" ] || { echo "server $name did not start"; cat "$SDIR/log"; exit 1; }
  echo "server $name: pid $SPID port $SPORT"
}
stop_server() {
  kill "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
}

# Flags shared by the WebSocket figures: loopback clients send faster than
# the default per-connection flood limits allow (figure 4 runs closed-loop).
WS_FLAGS=(--password-hash-cost min --ws-flood-burst 100000 --ws-flood-rate 100000)

started=$(date -u +%s)

if want 1 || want 3 || want 4 || want 5 || want 8; then
  start_server main "${WS_FLAGS[@]}"
  MAIN_PORT=$SPORT MAIN_PID=$SPID
  $LG register --port "$MAIN_PORT" --users 1000 --out "$work/tokens" --concurrency 8 >"$out/register.json"

  if want 1; then
    for n in 10 100 1000; do
      echo "== figure 1: sync spread, $n clients"
      $LG sync --port "$MAIN_PORT" --tokens "$work/tokens" --clients "$n" --rounds 5 >"$out/fig1_$n.json"
    done
  fi
  if want 3 || want 8; then
    sizes="1000"
    want 8 && sizes="100 1000 5000"
    for m in $sizes; do
      echo "== figure 3/8: fan-out latency, $m members"
      $LG fanout --port "$MAIN_PORT" --tokens "$work/tokens" --members "$m" --rate 10 --duration 3 --rounds 3 \
        --server-pid "$MAIN_PID" --connect-parallel 25 >"$out/fig3_$m.json"
    done
  fi
  if want 4; then
    echo "== figure 4: throughput, 100 parties x 10 members"
    $LG throughput --port "$MAIN_PORT" --tokens "$work/tokens" --parties 100 --members 10 --duration 5 --rounds 3 \
      --server-pid "$MAIN_PID" >"$out/fig4.json"
  fi
  if want 5; then
    echo "== figure 5: HTTP with wrk vs nginx"
    rm -f "$out/fig5.jsonl" "$out"/wrk_*
    token=$(awk 'NR==1{print $2}' "$work/tokens")
    cat >"$work/auth.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
EOF
    www="$work/www"
    mkdir -p "$www" "$work/nginx"
    chmod 755 "$www" "$work/nginx"
    printf '{"status":"ok"}\n' >"$www/health.json"
    chmod 644 "$www/health.json"
    nport=$(free_port)
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
$(nginx_http_paths "$work/nginx")
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    root $www;
  }
}
EOF
    "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' &
    pids+=($!)
    sleep 0.5
    wrk_run() { # label url [script]
      local label=$1 url=$2 script=${3:-}
      local args=(-t1 -c32 -d5s --latency)
      [ -n "$script" ] && args+=(-s "$script")
      local rps
      rps=$(wrk "${args[@]}" "$url" | tee "$out/wrk_${label}.txt.$rep" | awk '/Requests\/sec/{print $2}')
      echo "{\"label\":\"$label\",\"rep\":$rep,\"rps\":$rps}" >>"$out/fig5.jsonl"
    }
    for rep in 1 2 3; do
      wrk_run nginx "http://127.0.0.1:$nport/health.json"
      wrk_run health "http://127.0.0.1:$MAIN_PORT/api/health/"
      wrk_run profile "http://127.0.0.1:$MAIN_PORT/api/auth/profile/" "$work/auth.lua"
    done
    kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  fi
  stop_server
fi

if want 2; then
  rm -f "$out/fig2.jsonl"
  for rep in 1 2 3; do
    echo "== figure 2: memory per idle socket, run $rep (10 parties x 100 users x 10 tabs)"
    start_server "idle$rep" "${WS_FLAGS[@]}"
    $LG register --port "$SPORT" --users 100 --out "$work/tokens_idle" --concurrency 8 >/dev/null
    $LG idle --port "$SPORT" --tokens "$work/tokens_idle" --parties 10 --users 100 --tabs 10 --server-pid "$SPID" \
      >>"$out/fig2.jsonl"
    stop_server
  done
fi

if want 6; then
  echo "== figure 6: logins with Argon2id at the default cost (interactive)"
  start_server login --password-hash-cost interactive
  $LG register --port "$SPORT" --users 8 --out "$work/tokens_login" --concurrency 4 >/dev/null
  $LG login --port "$SPORT" --tokens "$work/tokens_login" --users 8 --concurrency 8 --duration 5 --rounds 3 \
    >"$out/fig6.json"
  stop_server
fi

if want 7; then
  echo "== figure 7: two nodes on one PostgreSQL and one Redis"
  for tool in redis-server redis-cli; do
    command -v "$tool" >/dev/null || { echo "figure 7 needs $tool (scripts/install-deps.sh --test)"; exit 1; }
  done
  PG_DIR="$work/pg"
  pg_url=$(scripts/pg-start.sh "$PG_DIR" "$(free_port)")
  redis_port=$(free_port)
  # In the foreground of a background job (not --daemonize), so that this
  # shell can kill it and wait for it to be gone before starting it again.
  start_redis() {
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize no \
      --logfile "$work/redis.log" --dir "$work" &
    REDIS_PID=$!
    for _ in $(seq 200); do
      [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && return 0
      sleep 0.01
    done
    echo "redis-server did not start"
    cat "$work/redis.log"
    exit 1
  }
  start_redis
  NODE_FLAGS=("${WS_FLAGS[@]}" --database-url "$pg_url" --redis-url "redis://127.0.0.1:$redis_port")
  start_server node1 "${NODE_FLAGS[@]}"
  N1_PORT=$SPORT N1_PID=$SPID
  start_server node2 "${NODE_FLAGS[@]}"
  N2_PORT=$SPORT N2_PID=$SPID
  # Registered through node 1; node 2 accepts the tokens (one JWT secret in the database).
  $LG register --port "$N1_PORT" --users 1000 --out "$work/tokens7" --concurrency 8 >"$out/register7.json"

  for n in 100 1000; do
    echo "== figure 7a: sync spread, $n clients split over two nodes"
    $LG sync --port "$N1_PORT" --port2 "$N2_PORT" --tokens "$work/tokens7" --clients "$n" --rounds 5 \
      >"$out/fig7_sync_$n.json"
  done
  echo "== figure 7b: fan-out, 1000 members on node 1 only (same PostgreSQL + Redis)"
  $LG fanout --port "$N1_PORT" --tokens "$work/tokens7" --members 1000 --rate 10 --duration 3 --rounds 3 \
    --server-pid "$N1_PID" --server-pid2 "$N2_PID" >"$out/fig7_fanout_one.json"
  echo "== figure 7b: fan-out, 1000 members split over two nodes"
  $LG fanout --port "$N1_PORT" --port2 "$N2_PORT" --tokens "$work/tokens7" --members 1000 --rate 10 --duration 3 \
    --rounds 3 --server-pid "$N1_PID" --server-pid2 "$N2_PID" >"$out/fig7_fanout_1000.json"

  # 7c: the load generator seeks every 50 ms from node 1 and writes a ready
  # file once steady; 2 s later Redis is stopped (SIGTERM), and started again
  # on the same port 1 s after it is gone. The load generator probes Redis
  # itself for the exact down/up instants and stops 4 s after it is back.
  rm -f "$out/fig7_restart.jsonl"
  for rep in 1 2 3; do
    echo "== figure 7c: Redis restart under 20 seeks/s, 200 members on two nodes, run $rep"
    rm -f "$work/ready"
    $LG redis-restart --port "$N1_PORT" --port2 "$N2_PORT" --tokens "$work/tokens7" --members 200 \
      --interval-ms 50 --redis-port "$redis_port" --ready-file "$work/ready" --after-s 4 \
      >>"$out/fig7_restart.jsonl" &
    lg=$!
    for _ in $(seq 600); do
      [ -f "$work/ready" ] && break
      sleep 0.1
    done
    sleep 2
    kill "$REDIS_PID"
    wait "$REDIS_PID" || true
    sleep 1
    start_redis
    wait "$lg"
  done
  kill "$N1_PID" "$N2_PID" 2>/dev/null || true
  wait "$N1_PID" "$N2_PID" 2>/dev/null || true
  kill "$REDIS_PID" 2>/dev/null || true
  wait "$REDIS_PID" 2>/dev/null || true
  REDIS_PID=""
  # The nodes' and Redis's logs, to read what they did around the restarts.
  cp "$work/node1/log" "$out/fig7_node1.log"
  cp "$work/node2/log" "$out/fig7_node2.log"
  cp "$work/redis.log" "$out/fig7_redis.log"
  scripts/pg-stop.sh "$PG_DIR"
  PG_DIR=""
fi

if want micro; then
  echo "== micro-benchmarks"
  build/wp_micro --benchmark_min_time=0.2 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_format=json >"$out/micro.json" 2>/dev/null
fi

elapsed=$(($(date -u +%s) - started))
echo "$elapsed $ONLY $(date -u +%FT%TZ)" >>"$out/runs.log"
/usr/bin/python3 bench/report.py "$out" "$elapsed" "$ONLY" >bench/RESULTS.md
echo "wrote bench/RESULTS.md (${elapsed}s)"
