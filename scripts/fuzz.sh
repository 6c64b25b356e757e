#!/usr/bin/env bash
# libFuzzer targets (fuzz/*_fuzz.cpp, project fuzz/CMakeLists.txt) built with
# clang-14, ASan and UBSan in build-fuzz/ (through the build lock, with the
# shared ccache), each run for a bounded time on its corpus
# (fuzz/corpus/<target>/; new inputs go to build-fuzz/corpus-<target>/).
# Any crash, leak, timeout or sanitizer report fails the run (exit status != 0);
# the input that did it is left in build-fuzz/ (crash-*, leak-*, timeout-*).
#
#   scripts/fuzz.sh                               # every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh json_input   # one target, longer, by hand
#   scripts/fuzz.sh --build-only                  # only the build
#   scripts/fuzz.sh --no-build [targets]          # runs on the build-fuzz there is
#   FUZZ_JOBS=1 scripts/fuzz.sh                   # one target at a time (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${FUZZ_SECONDS:-30}
out=build-fuzz
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build() { flock /tmp/wp-build.lock "$@"; }
mode=all
case "${1:-}" in --build-only) mode=build; shift ;; --no-build) mode=run; shift ;; esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do f=${f#fuzz/}; targets+=("${f%_fuzz.cpp}"); done
fi
if [ "$mode" != run ]; then
  build cmake -S fuzz -B "$out" -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++-14}" >/dev/null
  build cmake --build "$out" -j"${JOBS:-2}" --target "${targets[@]}"
fi
[ "$mode" = build ] && exit 0
# FUZZ_JOBS targets at once (default 2: each keeps to one core).
run_one() {
  local t=$1
  mkdir -p "$out/corpus-$t"
  if (cd "$out" && "./$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
       "corpus-$t" "$root/fuzz/corpus/$t") >"$out/$t.log" 2>&1; then
    echo "== fuzz $t (${seconds} s): $(tail -n 1 "$out/$t.log")"
  else
    grep -v "^#[0-9]" "$out/$t.log" | tail -n 100 >&2
    echo "fuzz $t: FAILED (log: $out/$t.log)" >&2
    return 1
  fi
}
status=0
running=()
for t in "${targets[@]}"; do
  run_one "$t" & running+=($!)
  if [ ${#running[@]} -ge "${FUZZ_JOBS:-2}" ]; then
    wait "${running[0]}" || status=1
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do wait "$pid" || status=1; done
exit "$status"
