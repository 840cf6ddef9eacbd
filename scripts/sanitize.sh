#!/usr/bin/env bash
# Builds hec with AddressSanitizer and UndefinedBehaviorSanitizer
# (HEC_SANITIZE=address,undefined) and runs every unit and lit test under
# them (scripts/test.sh); any report fails the test that triggered it.
# Ends with test.sh's "N passed, N failed" line.
#   BUILD_DIR  build folder (default: build-sanitize)
#   JOBS       build and test jobs (default: nproc)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-sanitize}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHEC_SANITIZE=address,undefined || exit 1
fi
# LeakSanitizer stays on (no suppressions needed).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
BUILD_DIR=$build exec "$root/scripts/test.sh"
