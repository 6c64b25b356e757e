#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on loopback for tests (400 connections: the
# integration tests of scripts/test.sh run in several processes, many servers at once,
# each with its pool).
# Usage: scripts/pg-start.sh DIR PORT   -> prints the database URL
set -euo pipefail
dir=${1:?dir}; port=${2:?port}
bin=/usr/lib/postgresql/15/bin
mkdir -p "$dir"
chmod 1777 "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir/data" && chown postgres "$dir/data"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U wp --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
fi
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=400" start >/dev/null
runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U wp wp 2>/dev/null || true
echo "postgresql://wp@127.0.0.1:$port/wp"
