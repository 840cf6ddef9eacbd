#!/usr/bin/env bash
# Usage: with_cluster.sh DIR COMMAND [ARG...]
# Runs COMMAND with a one-node Slurm cluster (cluster.sh, state in DIR) up
# and SLURM_CONF set, and stops the cluster afterwards, however COMMAND
# ended. Fails when the cluster cannot start (the test suite only runs
# this where lit.cfg.py found that it can).
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$1; shift
env=$("$here/cluster.sh" start "$dir") || {
  echo "with_cluster.sh: the Slurm cluster did not start (see above)" >&2
  exit 1
}
eval "$env"
trap '"$here/cluster.sh" stop "$dir"' EXIT
"$@"
