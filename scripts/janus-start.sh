#!/usr/bin/env bash
# Start a throwaway Janus (Debian's janus package) on loopback for tests:
# token auth on, an API secret and an admin secret, the HTTP transport only
# (Janus API and admin API on loopback), the AudioBridge and VideoRoom
# plugins only; no event handlers, no loggers.
# Usage: scripts/janus-start.sh DIR PORT ADMIN_PORT [API_SECRET [ADMIN_SECRET]]
#   -> prints "JANUS_URL ADMIN_URL"; scripts/janus-stop.sh DIR stops it.
set -euo pipefail
dir=${1:?dir}; port=${2:?port}; admin_port=${3:?admin port}
api_secret=${4:-wp-test-api-secret}; admin_secret=${5:-wp-test-admin-secret}
lib=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/janus
[ -x /usr/bin/janus ] || { echo "janus is not installed (apt-get install janus)" >&2; exit 2; }
mkdir -p "$dir/conf"

# Everything but the wanted modules is disabled by file name.
others() {  # folder, wanted file names...
  local folder=$1; shift
  local out=() f
  for f in "$folder"/*.so; do
    f=$(basename "$f")
    [[ " $* " == *" $f "* ]] || out+=("$f")
  done
  (IFS=,; echo "${out[*]}")
}

cat >"$dir/conf/janus.jcfg" <<EOF
general: {
  configs_folder = "$dir/conf"
  plugins_folder = "$lib/plugins"
  transports_folder = "$lib/transports"
  events_folder = "$lib/events"
  loggers_folder = "$lib/loggers"
  debug_level = 4
  server_name = "watchparty-test"
  session_timeout = 60
  api_secret = "$api_secret"
  token_auth = true
  admin_secret = "$admin_secret"
}
media: {
  rtp_port_range = "40000-40999"
}
nat: {
  ice_enforce_list = "lo"
  ignore_mdns = true
}
plugins: {
  disable = "$(others "$lib/plugins" libjanus_audiobridge.so libjanus_videoroom.so)"
}
transports: {
  disable = "$(others "$lib/transports" libjanus_http.so)"
}
loggers: {
  disable = "$(others "$lib/loggers")"
}
events: {
  broadcast = false
  disable = "$(others "$lib/events")"
}
EOF

cat >"$dir/conf/janus.transport.http.jcfg" <<EOF
general: {
  json = "compact"
  base_path = "/janus"
  http = true
  port = $port
  ip = "127.0.0.1"
  https = false
}
admin: {
  admin_base_path = "/admin"
  admin_http = true
  admin_port = $admin_port
  admin_ip = "127.0.0.1"
  admin_https = false
}
cors: {
}
EOF

# No static rooms: watchparty creates and destroys them through the API.
for plugin in audiobridge videoroom; do
  printf 'general: {\n}\n' >"$dir/conf/janus.plugin.$plugin.jcfg"
done

: >"$dir/janus.log"
/usr/bin/janus --daemon --disable-colors --pid-file="$dir/janus.pid" --log-file="$dir/janus.log" --disable-stdout \
  --config="$dir/conf/janus.jcfg" --configs-folder="$dir/conf" --cwd-path="$dir" >/dev/null 2>&1

url="http://127.0.0.1:$port/janus"
for _ in $(seq 1 100); do
  if curl -sf "$url/info" >/dev/null 2>&1; then
    echo "$url http://127.0.0.1:$admin_port/admin"
    exit 0
  fi
  sleep 0.1
done
echo "janus did not answer on $url; its log:" >&2
tail -n 30 "$dir/janus.log" >&2
exit 1
