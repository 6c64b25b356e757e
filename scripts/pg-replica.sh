#!/usr/bin/env bash
# Start a streaming replica (hot standby) of a loopback PostgreSQL 15 for tests:
# pg_basebackup -R from the primary into DIR, started on PORT.
# Usage: scripts/pg-replica.sh DIR PORT PRIMARY_PORT   -> prints the replica's database URL
set -euo pipefail
dir=${1:?dir}; port=${2:?port}; primary=${3:?primary port}
bin=/usr/lib/postgresql/15/bin
mkdir -p "$dir"
chmod 1777 "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir/data" && chown postgres "$dir/data" && chmod 700 "$dir/data"
  # -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy comes along;
  # --checkpoint=fast: a spread checkpoint makes the copy wait for minutes.
  runuser -u postgres -- "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U wp -D "$dir/data" -R -X stream --checkpoint=fast \
    >"$dir/basebackup.log" 2>&1
fi
# A standby refuses to start with max_connections below its primary's (pg-start.sh sets 400).
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c hot_standby=on -c fsync=off -c max_connections=400" start >/dev/null
echo "postgresql://wp@127.0.0.1:$port/wp"
