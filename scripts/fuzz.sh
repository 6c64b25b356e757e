#!/usr/bin/env bash
# libFuzzer targets (fuzz/*_fuzz.cpp) built with clang-14, ASan and UBSan in
# build-fuzz/, each run for a bounded time on its corpus (fuzz/corpus/<target>/).
# Any crash, leak or sanitizer report fails the run (exit status != 0).
#
#   scripts/fuzz.sh              # every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh json_input   # one target, longer, by hand
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${FUZZ_SECONDS:-30}
out=build-fuzz
mkdir -p "$out"
CXX=${FUZZ_CXX:-clang++-14}
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -DBOOST_JSON_NO_LIB -I"$root/src")
# The sources each target needs (all of them are small, pure functions).
declare -A sources=(
  [json_input]="src/core/json_input.cpp src/core/error.cpp fuzz/boost_json_src.cpp"
  [http_framing]="src/http/framing.cpp src/http/message.cpp src/core/error.cpp -lboost_url"
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${!sources[@]}")
status=0
for t in "${targets[@]}"; do
  echo "== fuzz $t (${seconds} s)"
  # shellcheck disable=SC2086
  flock /tmp/wp-build.lock "$CXX" "${flags[@]}" "fuzz/${t}_fuzz.cpp" ${sources[$t]} -o "$out/$t"
  mkdir -p "$out/corpus-$t"
  "$out/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 "$out/corpus-$t" "fuzz/corpus/$t" || status=1
done
exit "$status"
