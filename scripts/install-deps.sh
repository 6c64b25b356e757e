#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, run and test watchparty.
# Skips apt-get entirely when everything is already there.
set -euo pipefail
build_pkgs=(cmake g++ make pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libsoci-dev libsqlite3-dev libpq-dev
  libhiredis-dev libsodium-dev liboath-dev libqrencode-dev libtomlplusplus-dev libcli11-dev libspdlog-dev
  libmagic-dev libcurl4-openssl-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev ffmpeg)
test_pkgs=(postgresql-15 postgresql-client-15 redis-server python3-pytest python3-requests python3-websockets)
want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
