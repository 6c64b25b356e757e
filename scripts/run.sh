#!/usr/bin/env bash
# Installs what is needed, builds, and runs the server on SQLite in ./data.
# Extra arguments go to `watchparty serve` (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/watchparty serve "$@"
