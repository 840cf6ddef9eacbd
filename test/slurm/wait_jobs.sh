#!/usr/bin/env bash
# Usage: wait_jobs.sh SECONDS JOB...  Waits until none of the jobs is queued
# or running any more; exits 1 (printing the queue) after SECONDS.
set -u
limit=$1; shift
jobs=$(IFS=,; echo "$*")
for _ in $(seq 1 $((limit * 2))); do
  [ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ] && exit 0
  sleep 0.5
done
echo "jobs $jobs still queued after $limit s:" >&2
squeue -j "$jobs" >&2
exit 1
