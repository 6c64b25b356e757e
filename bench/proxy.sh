#!/usr/bin/env bash
# The cost of nginx in front (issue #23): the same server, reached directly and through an nginx
# reverse proxy on loopback (HTTP/1.1 keep-alive to the upstream, WebSocket upgrade passed on), in
# the same run. HTTP: wrk -t1 -c32 -d5s on /api/health/ and /api/auth/profile/, three runs each way.
# WebSocket: figure 3 (1,000 members, 10 chat messages/s, three rounds), with the server's and
# nginx's CPU per delivery. Also nginx serving a small static file, figure 5's reference, so that
# the ratios of figure 5 come out of the same run. Without building and without touching
# bench/RESULTS.md.
#   bench/proxy.sh [BUILD_DIR]
#   WP_SERVER=/other/build/watchparty bench/proxy.sh build
# Run it holding the build lock, so that no build shares the CPUs:
#   flock /tmp/wp-build.lock bench/proxy.sh build
set -euo pipefail
cd "$(dirname "$0")/.."
bdir=${1:-build}
server=${WP_SERVER:-$bdir/watchparty}
members=${MEMBERS:-1000}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] && command -v wrk >/dev/null || { echo "needs nginx and wrk (scripts/bench.sh installs them)"; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/wp-proxy.XXXXXX)
chmod 755 "$work"
. bench/lib.sh
spid=""
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
start_bench_server "$server" "$work"

nport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx" "$work/www"
chmod 755 "$work/nginx" "$work/www"
printf '{"status":"ok"}\n' >"$work/www/health.json"
chmod 644 "$work/www/health.json"
# What an operator's proxy would do: keep-alive upstream connections for HTTP, the Upgrade passed on
# for WebSockets, the client's address forwarded, no buffering of WebSocket or API traffic.
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
worker_rlimit_nofile 20000;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 10000; }
http {
  access_log off;
$(nginx_http_paths "$work/nginx")
  keepalive_requests 1000000;
  upstream watchparty {
    server 127.0.0.1:$port;
    keepalive 64;
    keepalive_requests 1000000;
  }
  map \$http_upgrade \$connection_upgrade {
    default upgrade;
    '' '';
  }
  server {
    listen 127.0.0.1:$nport;
    location = /health.json {
      root $work/www;
      default_type application/json;
    }
    location / {
      proxy_pass http://watchparty;
      proxy_http_version 1.1;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
EOF
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
for _ in $(seq 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
workers=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | paste -sd, -)
echo "server $server (built $(date -u -r "$server" +%H:%M)) on $port, nginx on $nport (workers $workers)"

"$bdir/wp_loadgen" register --port "$port" --users "$members" --out "$work/tokens" --concurrency 8 >/dev/null
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$(awk 'NR==1{print $2}' "$work/tokens")" >"$work/auth.lua"
rps() { wrk -t1 -c32 -d5s -s "$work/auth.lua" "$1" | awk '/Requests\/sec/{print $2}'; }
for rep in 1 2 3; do
  echo "HTTP nginx static file run $rep: $(rps "http://127.0.0.1:$nport/health.json") requests/s"
done
for path in /api/health/ /api/auth/profile/; do
  wrk -t1 -c32 -d2s -s "$work/auth.lua" "http://127.0.0.1:$nport$path" >/dev/null  # warm-up, and upstream connections open
  for rep in 1 2 3; do
    echo "HTTP $path run $rep: direct $(rps "http://127.0.0.1:$port$path") requests/s, through nginx $(rps "http://127.0.0.1:$nport$path") requests/s"
  done
done

for via in direct nginx; do
  p=$port
  extra=()
  if [ "$via" = nginx ]; then
    p=$nport
    extra=(--proxy-pids "$workers")
  fi
  echo "load before $via: $(cat /proc/loadavg)"
  "$bdir/wp_loadgen" fanout --port "$p" --tokens "$work/tokens" --members "$members" --rate 10 --duration 3 --rounds 3 \
    --server-pid "$spid" --connect-parallel 25 --idle-s 0 "${extra[@]}" >"$work/fanout_$via.json" 2>/dev/null
  /usr/bin/python3 - "$work/fanout_$via.json" "$via" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for i, x in enumerate(r["rounds"]):
    proxy = f', nginx {x["proxy_cpu_s_per_100k"] * 10:.1f} us' if "proxy_cpu_s_per_100k" in x else ''
    print(f'  {sys.argv[2]}: {r["members"]} members, round {i + 1}: p50 {x["p50_ms"]:.1f} ms, p99 {x["p99_ms"]:.1f} ms, '
          f'delivered {x["delivered"]}/{x["expected"]}, CPU per delivery: server {x["server_cpu_s_per_100k"] * 10:.1f} us{proxy}')
print(f'  {sys.argv[2]}: sockets live {r["sockets_live"]}, closed during run {r["closed_during_run"]}, '
      f'joined in {r["join_ms"] / 1000:.1f} s')
PY
done
