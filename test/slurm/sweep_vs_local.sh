#!/usr/bin/env bash
# Usage: sweep_vs_local.sh EXPERIMENT WORK (inside with_cluster.sh)
# Submits the sweep with hec --slurm, runs the same sweep on this machine
# meanwhile, waits for the jobs, and compares the two results.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exp=$1 work=$2
hec "$exp" --out "$work/cluster-run" --slurm | tee "$work/submit.txt"
ids=$(sed -n 's/^  [a-z_]* *job \([0-9]*\) .*/\1/p' "$work/submit.txt")
hec "$exp" --out "$work/local-run" > "$work/local.txt"
"$here/wait_jobs.sh" 300 $ids
cat "$work/cluster-run/slurm/collect.out" >&2
python3 "$here/same_results.py" "$work/local-run/results.json" \
  "$work/cluster-run/results.json"
