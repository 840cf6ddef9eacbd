#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 19 (ASan + UBSan) and runs each for
# a fixed number of inputs, starting from the seeds in fuzz/corpus/<target>/
# (left unchanged: new inputs go to a scratch folder). A crash leaves its
# input in $BUILD_DIR/artifacts/ and fails the script; turn it into a
# regression test (docs/reliability.md).
#   RUNS       inputs per target (default 100000)
#   MAX_TIME   seconds per target at most (default: no limit); whichever of
#              RUNS and MAX_TIME comes first ends the target
#   BUILD_DIR  build folder (default: build-fuzz)
#   TARGETS    which targets (default: toml idx checkpoint bytecode)
# The bytecode target parses with MLIR's own reader, which crashes on some
# damaged inputs (docs/reliability.md): it runs in libFuzzer's fork mode,
# keeping every crashing input, and each kept input must then be refused by
# he-opt's contained parse as "corrupt bytecode" (never crash it).
#   HE_OPT     the he-opt that must refuse the kept inputs (default: the
#              instrumented one, built in BUILD_DIR; a regular build's
#              build/bin/he-opt saves building every pass with the sanitizers)
#   JOBS       build jobs (default: nproc)
# Needs scripts/install-fuzz-deps.sh.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
runs=${RUNS:-100000}
maxtime=${MAX_TIME:-0}
targets=${TARGETS:-toml idx checkpoint bytecode}
jobs=${JOBS:-$(nproc)}

if ! command -v clang++-19 >/dev/null; then
  echo "fuzz.sh: clang++-19 not found; run scripts/install-fuzz-deps.sh" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DHEC_FUZZ=ON -DHEC_ENABLE_TESTS=OFF || exit 1
fi
extra=""
case " $targets " in *" bytecode "*) [ -n "${HE_OPT:-}" ] || extra=he-opt ;; esac
heopt=${HE_OPT:-$build/bin/he-opt}
cmake --build "$build" -j "$jobs" --target $extra \
  $(for t in $targets; do printf '%s-fuzzer ' "$t"; done) || exit 1

mkdir -p "$build/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in $targets; do
  scratch=$(mktemp -d)
  log="$build/$t-fuzzer.log"
  # Every seed must pass its target as it is, run once each in process:
  # fork mode drops a seed that fails and fuzzes on without it (the bytecode
  # target's oracle once failed on its own seed trained_tp.mlirbc unseen).
  if ! "$build/bin/$t-fuzzer" "$root/fuzz/corpus/$t"/* >"$build/$t-seeds.log" \
    2>&1; then
    echo "$t: a seed of fuzz/corpus/$t fails the target; see $build/$t-seeds.log"
    tail -30 "$build/$t-seeds.log"
    status=1
    rm -rf "$scratch"
    continue
  fi
  if [ "$t" = bytecode ]; then
    rm -f "$build/artifacts/$t-"*
    "$build/bin/$t-fuzzer" -runs="$runs" -max_total_time="$maxtime" \
      -max_len=8192 -rss_limit_mb=2048 \
      -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
      -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$t-" \
      "$scratch" "$root/fuzz/corpus/$t" >"$log" 2>&1
    rc=0
    found=0
    refused=0
    for input in "$build/artifacts/$t-"*; do
      [ -f "$input" ] || continue
      found=$((found + 1))
      cp "$input" "$scratch/input.mlirbc"
      "$heopt" "$scratch/input.mlirbc" >"$scratch/out" 2>&1
      he=$?
      if ! grep -q "corrupt bytecode\|error" "$scratch/out" || [ $he -ne 1 ]; then
        echo "$t: he-opt did not refuse $input cleanly (exit $he)"
        rc=1
      else
        refused=$((refused + 1))
      fi
    done
    echo "$t: $found inputs crashed the target in process; he-opt refused" \
      "$refused of them"
  else
    "$build/bin/$t-fuzzer" -runs="$runs" -max_total_time="$maxtime" \
      -max_len=4096 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
      "$scratch" "$root/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
  fi
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
  # Fork mode's parent prints no final stats: its last "#N:" line counts
  # the inputs of every job.
  [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "$t: ${execs:-?} inputs, ${cov:-cov: ?}, no crash"
  else
    echo "$t: FAILED after ${execs:-?} inputs (exit $rc); see $log and $build/artifacts/"
    tail -30 "$log"
    status=1
  fi
  rm -rf "$scratch"
done
exit $status
