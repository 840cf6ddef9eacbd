#!/bin/sh
# What the benchmarks need beyond the build (scripts/install-deps.sh):
# Debian's PyTorch for the baseline of bench/train_step.py. Not for CI: the
# benchmarks are never part of the tests. Run as root (or with sudo).
set -eu
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  python3-torch
# Debian's python3, whatever python3 comes first on PATH.
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
