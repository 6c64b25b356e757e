# Shared by the bench scripts (sourced): a server as figures 3 and 8 run it, and nginx's paths.

# start_bench_server SERVER WORK_DIR -> sets spid and port; the server logs to WORK_DIR/log.
# Flood limits raised so that one test client may send fast; cheap password hashing.
start_bench_server() {
  local server=$1 work=$2
  "$server" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" --io-threads 2 --max-connections 19000 \
    --access-log false --access-token-ttl-s 3600 --password-hash-cost min --ws-flood-burst 100000 \
    --ws-flood-rate 100000 >"$work/log" 2>&1 &
  spid=$!
  port=""
  for _ in $(seq 100); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$work/log"
  return 1
}

# nginx_http_paths DIR: the lines of an http {} block that keep nginx's files in DIR.
nginx_http_paths() {
  local d=$1
  printf '  client_body_temp_path %s/body;\n  proxy_temp_path %s/proxy;\n  fastcgi_temp_path %s/fastcgi;\n' "$d" "$d" "$d"
  printf '  uwsgi_temp_path %s/uwsgi;\n  scgi_temp_path %s/scgi;\n' "$d" "$d"
}
