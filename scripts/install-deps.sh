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
  libopencv-dev                       # OpenCV: decoding JPEG/PNG/BMP images
  dataset-fashion-mnist               # the real data set (IDX files)
  libonnx-dev libprotobuf-dev         # ONNX export: the ONNX protobuf classes
  python3-onnx                        # onnx.checker in the ONNX export tests
  slurm-wlm munge                     # hec --slurm; the tests' one-node cluster
  gnuplot-nox                         # hec plot: the figures (PNG and SVG)
)
# ONNX Runtime (npm onnxruntime-node) checks the exported models in the tests;
# Node.js and npm from Debian unless they are installed already (each one:
# a Node.js without npm cannot install the lockfiles below).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y "${packages[@]}"
# --ignore-scripts: the package's install script downloads GPU binaries from a
# host CI cannot reach; the CPU binaries ship inside the package.
(cd "$(dirname "$0")/../tools/onnx-check" && npm ci --ignore-scripts --no-audit --no-fund)

# tools/he-ckks (encrypted inference, Microsoft SEAL as node-seal 6.0.3; 7.x
# does not load on Node.js 20): its npm packages, pinned by the committed
# package-lock.json. No network at run time.
(cd "$(dirname "$0")/../tools/he-ckks" && npm ci --ignore-scripts --no-audit --no-fund)
