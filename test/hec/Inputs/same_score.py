# Usage: hec eval ... | same_score.py RUN_DIR LOG METHOD SEED
# Compares the accuracy `hec eval` printed (stdin, JSON) with what the sweep
# that wrote RUN_DIR reported for METHOD and SEED: results.json's per-seed
# accuracy (exactly: the same images, the same count) and the "done:" line
# of its console log LOG (to the two decimals printed there). Prints
# "score: same" or what differs.
import json
import re
import sys

run_dir, log, method, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
evaluated = json.load(sys.stdin)["accuracy"]

results = json.load(open(f"{run_dir}/results.json"))
m = results["methods"][method]
recorded = m["accuracy"]["per_seed"][m["seeds"].index(seed)]

done = [line for line in open(log) if f"seed {seed}" in line and " done: " in line]
logged = [float(x) for line in done for x in re.findall(r"accuracy ([0-9.]+)%", line)[:1]]

problems = []
if evaluated != recorded:
    problems.append(f"hec eval {evaluated} but results.json {recorded}")
if len(logged) != 1:
    problems.append(f"{len(logged)} 'done:' lines for seed {seed} in the log")
elif f"{evaluated:.2f}" != f"{logged[0]:.2f}":
    problems.append(f"hec eval {evaluated:.2f} but the log {logged[0]:.2f}")
print("score:", "same" if not problems else "; ".join(problems))
