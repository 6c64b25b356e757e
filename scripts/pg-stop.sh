#!/usr/bin/env bash
# Stop a cluster started by pg-start.sh. Usage: scripts/pg-stop.sh DIR
set -euo pipefail
dir=${1:?dir}
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop >/dev/null || true
