#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, run and test watchparty.
# Skips apt-get entirely when everything is already there.
set -euo pipefail
build_pkgs=(cmake g++ make pkg-config ccache lld
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libsoci-dev libsqlite3-dev libpq-dev
  libhiredis-dev libsodium-dev liboath-dev libqrencode-dev libtomlplusplus-dev libcli11-dev libspdlog-dev
  libmagic-dev libicu-dev libcurl4-openssl-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev ffmpeg
  libhpdf-dev)
test_pkgs=(postgresql-15 postgresql-client-15 redis-server python3-pytest python3-pytest-xdist python3-requests python3-websockets python3-icalendar
  chromium fonts-noto-color-emoji nginx janus curl poppler-utils)
# The web client is built with Node and npm (Node >= 20.19 for Vite 7); install Debian's
# only when none is on the PATH (a newer Node from elsewhere is kept).
if ! command -v node >/dev/null 2>&1; then build_pkgs+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then build_pkgs+=(npm); fi
# libFuzzer (scripts/fuzz.sh): Debian's clang 14 and its runtime libraries.
fuzz_pkgs=(clang-14 libclang-rt-14-dev)
want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi
if [ "${1:-}" = "--fuzz" ]; then want+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}"); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests run nginx themselves on loopback ports; the package's own service
  # (started by the install, on port 80) is not wanted.
  if [[ " ${missing[*]} " == *" nginx "* ]]; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now nginx >/dev/null 2>&1 || true
    else
      /usr/sbin/nginx -s quit >/dev/null 2>&1 || true
      update-rc.d nginx disable >/dev/null 2>&1 || true
    fi
  fi
  # Likewise Janus: the tests start it on loopback with their own config (scripts/janus-start.sh).
  if [[ " ${missing[*]} " == *" janus "* ]]; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now janus >/dev/null 2>&1 || true
    else
      update-rc.d janus disable >/dev/null 2>&1 || true
    fi
  fi
fi
