#!/usr/bin/env bash
# Builds hec (if needed) and runs every test: the lit suite (he-opt, passes,
# hec end to end) and the GoogleTest unit tests through CTest. Ends with one
# line "N passed, N failed[, N skipped]".
#   BUILD_DIR   build folder (default: build)
#   HEC_CMAKE_ARGS  extra CMake arguments (e.g. -DHEC_ENABLE_RUNTIME=OFF)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
lit=${LIT:-/usr/lib/llvm-19/build/utils/lit/lit.py}

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja ${HEC_CMAKE_ARGS:-} || exit 1
fi
cmake --build "$build" -j "$jobs" || { echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0
count() { # $1: log, $2: a lit summary label; prints its count
  sed -nE "s/^ *$2: *([0-9]+).*/\1/p" "$1" | tail -1
}

echo "== lit"
litlog=$(mktemp)
python3 "$lit" -sv -j "$jobs" "$build/test" | tee "$litlog"
lp=$(count "$litlog" 'Passed'); lf=$(count "$litlog" 'Failed')
lu=$(count "$litlog" 'Unsupported'); lx=$(count "$litlog" 'Expectedly Failed')
passed=$((passed + ${lp:-0} + ${lx:-0})); failed=$((failed + ${lf:-0})); skipped=$((skipped + ${lu:-0}))
[ -z "$lp$lf" ] && failed=$((failed + 1))

echo "== unit (ctest)"
ctestlog=$(mktemp)
ctest --test-dir "$build" -j "$jobs" --output-on-failure | tee "$ctestlog"
ct=$(grep -oE 'tests passed, [0-9]+ tests failed out of [0-9]+' "$ctestlog" | grep -oE '[0-9]+' | tr '\n' ' ')
if [ -n "$ct" ]; then
  set -- $ct   # failed total
  passed=$((passed + $2 - $1)); failed=$((failed + $1))
  cs=$(grep -cE '\*\*\*Skipped|Not Run' "$ctestlog"); passed=$((passed - cs)); skipped=$((skipped + cs))
else
  failed=$((failed + 1))
fi
rm -f "$litlog" "$ctestlog"

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
