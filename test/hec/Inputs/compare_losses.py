# Usage: compare_losses.py RUN_A RUN_B RUN_C. Prints whether the per-epoch
# losses of tp_st seed 1 in A and B are the same, and whether A's differ
# from C's.
import json
import sys


def losses(run):
    path = f"{run}/tp_st/seed-1/metrics.jsonl"
    return [json.loads(line)["loss"] for line in open(path)]


a, b, c = (losses(r) for r in sys.argv[1:4])
print("augmented runs:", "same" if a == b else "different")
print("against the plain run:", "same" if a == c else "different")
