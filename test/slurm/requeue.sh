#!/usr/bin/env bash
# Usage: requeue.sh EXPERIMENT WORK (inside with_cluster.sh)
# Submits the sweep with hec --slurm; once seed 111's baseline has trained
# its first epoch, sends its job the warning signal Slurm sends before a
# time limit (scancel --signal=USR1 --batch); the run writes its checkpoint,
# the job requeues itself and resumes. Then compares with the same sweep run
# on this machine, never stopped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exp=$1 work=$2
out=$work/cluster-run
hec "$exp" --out "$out" --slurm > "$work/submit.txt"
ids=$(sed -n 's/^  [a-z_]* *job \([0-9]*\) .*/\1/p' "$work/submit.txt")
baseline=$(sed -n 's/^  baseline *job \([0-9]*\) .*/\1/p' "$work/submit.txt")
metrics=$out/baseline/seed-111/metrics.jsonl
for _ in $(seq 1 600); do
  [ -s "$metrics" ] && break
  sleep 0.1
done
[ -s "$metrics" ] || { echo "requeue.sh: the baseline never finished an epoch" >&2; exit 1; }
scancel --signal=USR1 --batch "${baseline}_0"
echo "signalled job ${baseline}_0 after epoch $(wc -l < "$metrics")"
# A requeued job waits two minutes (its begin time) before it may start
# again; the test lets it start a few seconds after the requeue.
for _ in $(seq 1 1200); do
  state=$(squeue -h -j "${baseline}_0" -o %T 2>/dev/null || true)
  [ "$state" = PENDING ] && break
  sleep 0.1
done
[ "$state" = PENDING ] || {
  echo "requeue.sh: job ${baseline}_0 is ${state:-gone}, not requeued" >&2
  cat "$out/slurm/baseline-0.out" >&2
}
echo "after the signal: ${state:-gone}"
# Not in the second of the requeue: slurmd refuses a job whose credential
# is no newer (in whole seconds) than the revocation of its first run's
# ("Killing non-startable batch JobId=N: Job credential revoked"; the test
# failed so in CI). Slurm's own two minutes are for this.
sleep 3
scontrol update JobId="${baseline}_0" StartTime=now
"$here/wait_jobs.sh" 300 $ids
# The collect job is the last to end; its results.json says the sweep is
# over even where squeue was wrong.
for _ in $(seq 1 600); do
  [ -s "$out/results.json" ] && break
  sleep 0.5
done
[ -s "$out/results.json" ] || {
  echo "requeue.sh: no results.json after the jobs ended; the queue:" >&2
  squeue -j "$(IFS=,; echo $ids)" -t all >&2 || true
  tail -20 "$(dirname "$SLURM_CONF")/log/slurmctld.log" >&2 2>/dev/null || true
}
cat "$out/slurm/baseline-0.out"
hec "$exp" --out "$work/local-run" > "$work/local.txt"
python3 "$here/same_results.py" "$work/local-run/results.json" \
  "$out/results.json"
