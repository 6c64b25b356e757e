#!/usr/bin/env bash
# Configures and builds build/watchparty (and the unit tests) with ccache, then the web
# client (web/dist, served by `watchparty serve` at /) when npm is available.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths relative to the checkout, so that another clone reuses the cache.
export CCACHE_BASEDIR="$PWD"
export CCACHE_NOHASHDIR=1
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j"${JOBS:-2}"
if command -v npm >/dev/null 2>&1; then
  scripts/build-web.sh
else
  echo "npm not found: skipping the web client (web/dist)" >&2
fi
