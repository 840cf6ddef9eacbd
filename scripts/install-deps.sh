#!/usr/bin/env bash
# Installs every Debian 12 package hec needs to build, test and train.
set -euo pipefail
packages=(
  cmake ninja-build g++ python3      # build and the lit test runner
  llvm-19-dev libmlir-19-dev          # MLIR/LLVM 19: IR, passes, bytecode
  mlir-19-tools                       # mlir-tblgen (ODS) for ops, passes, docs
  llvm-19-tools                       # lit, FileCheck, not, split-file
  libtorch-dev                        # LibTorch 1.13: kernels, autograd, Adam
  libtomlplusplus-dev                 # TOML++: experiment files
  libfmt-dev                          # fmt: reports and logs
  libgtest-dev                        # GoogleTest unit tests
  zlib1g-dev                          # gzip-compressed IDX data
  dataset-fashion-mnist               # the real data set (IDX files)
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y "${packages[@]}"

# tools/he-ckks (encrypted inference, Microsoft SEAL as node-seal): its npm
# packages, pinned by the committed package-lock.json; needs Node.js >= 18
# (node-seal 7 does not load on Node 20, hence 6.0.3). No network at run time.
if command -v npm >/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --prefix "$(dirname "$0")/../tools/he-ckks"
else
  echo "install-deps: npm not found: install Node.js (>= 18) for tools/he-ckks" >&2
  exit 1
fi
