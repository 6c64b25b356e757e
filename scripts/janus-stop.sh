#!/usr/bin/env bash
# Stop a Janus started by scripts/janus-start.sh DIR (the process in DIR/janus.pid).
set -euo pipefail
dir=${1:?dir}
[ -f "$dir/janus.pid" ] || exit 0
pid=$(cat "$dir/janus.pid")
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 50); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
