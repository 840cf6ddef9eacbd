#!/usr/bin/env bash
# Usage: wait_jobs.sh SECONDS JOB...  Waits until none of the jobs is queued
# or running any more; exits 1 (printing the queue) after SECONDS.
# Only an answer of squeue counts: when it fails (slurmctld busy on a loaded
# machine: "Socket timed out"), the jobs are not taken for ended.
set -u
limit=$1; shift
jobs=$(IFS=,; echo "$*")
for _ in $(seq 1 $((limit * 2))); do
  if queued=$(squeue -h -j "$jobs" 2>/dev/null) && [ -z "$queued" ]; then
    exit 0
  fi
  sleep 0.5
done
echo "jobs $jobs still queued after $limit s:" >&2
squeue -j "$jobs" >&2
exit 1
