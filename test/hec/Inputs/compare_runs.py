# Usage: compare_runs.py RUN_A RUN_B [METHOD]. Compares what two sweeps
# wrote for METHOD (default tp_st) seed 1: prints whether the per-epoch
# training losses are the same, and whether the emitted models are.
import json
import re
import sys

a, b = sys.argv[1], sys.argv[2]
method = sys.argv[3] if len(sys.argv) > 3 else "tp_st"


def run(out, name):
    return f"{out}/{method}/seed-1/{name}"


def losses(out):
    return [json.loads(line)["loss"] for line in open(run(out, "metrics.jsonl"))]


def weights(out):
    # The blobs alone: resource names carry a per-process counter.
    return re.findall(r'"0x[0-9A-Fa-f]+"', open(run(out, "model.mlir")).read())


print("losses:", "same" if losses(a) == losses(b) else "different")
print("models:", "same" if weights(a) == weights(b) else "different")
