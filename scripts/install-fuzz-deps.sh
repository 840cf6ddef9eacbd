#!/usr/bin/env bash
# Optional: the packages scripts/fuzz.sh needs (clang 19, its libFuzzer and
# sanitizer runtimes, and its OpenMP, which the runtime's CMake requires of
# the compiler), on top of scripts/install-deps.sh. Not part of CI.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y clang-19 libclang-rt-19-dev libomp-19-dev
