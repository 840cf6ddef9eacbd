"""Checks what a hec sweep wrote: results.json's keys and numbers, and every
run folder's files. Usage: check_results.py RUN_DIR EXPERIMENT METHODS SEEDS [SPLIT]
(SPLIT: what the runs were evaluated on, test or validation; default test)"""
import json
import os
import sys

run_dir, experiment, methods, seeds = sys.argv[1], sys.argv[2], sys.argv[3].split(","), [int(s) for s in sys.argv[4].split(",")]
expected_split = sys.argv[5] if len(sys.argv) > 5 else "test"
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


results = json.load(open(os.path.join(run_dir, "results.json")))
check(results["experiment"] == experiment, "experiment name")
# What the runs were evaluated on names the per-epoch keys too.
split = results.get("split")
check(split == expected_split, f"split is {expected_split}, not {split}")
for method in methods:
    m = results["methods"][method]
    for metric in ("accuracy", "macro_f1"):
        per_seed = m[metric]["per_seed"]
        check(len(per_seed) == len(seeds), f"{method}.{metric}.per_seed has one value per seed")
        check(all(0 <= v <= 100 for v in per_seed), f"{method}.{metric} in [0, 100]")
        mean = sum(per_seed) / len(per_seed)
        check(abs(m[metric]["mean"] - mean) < 1e-9, f"{method}.{metric}.mean is the mean")
        check(m[metric]["std"] >= 0, f"{method}.{metric}.std")
    check(m["seeds"] == seeds, f"{method}.seeds")
    # The paired gap: this method's accuracy minus the baseline's, per seed.
    if method == "baseline" or "baseline" not in methods:
        check(m["vs_baseline"] is None, f"{method}.vs_baseline is null")
    else:
        base = results["methods"]["baseline"]["accuracy"]["per_seed"]
        gaps = [a - b for a, b in zip(m["accuracy"]["per_seed"], base)]
        got = m["vs_baseline"]["per_seed"]
        check(len(got) == len(gaps) and all(abs(x - y) < 1e-9 for x, y in zip(got, gaps)), f"{method}.vs_baseline.per_seed")
        check(abs(m["vs_baseline"]["mean"] - sum(gaps) / len(gaps)) < 1e-9, f"{method}.vs_baseline.mean")
    if method == "baseline":
        check(m["depth"] is None, "the baseline has no finite depth")
    else:
        check(isinstance(m["depth"], int) and m["depth"] > 0, f"{method}.depth is a positive integer")
    # The emitted model, re-read from disk, scores what training measured.
    for acc, ev in zip(m["accuracy"]["per_seed"], m["eval_accuracy"]["per_seed"]):
        check(abs(acc - ev) <= 0.1, f"{method}: emitted model {ev} vs trained {acc}")
    for seed in seeds:
        folder = os.path.join(run_dir, method, f"seed-{seed}")
        for name in ("model.mlirbc", "model.mlir", "depth.json", "metrics.jsonl"):
            check(os.path.getsize(os.path.join(folder, name)) > 0, f"{folder}/{name}")
        epochs = [json.loads(line) for line in open(os.path.join(folder, "metrics.jsonl"))]
        check([e["epoch"] for e in epochs] == list(range(1, len(epochs) + 1)), f"{folder}: epochs 1..N")
        for key in ("loss", "train_accuracy", f"{split}_accuracy", f"{split}_macro_f1", "lambda", "pool", "seconds", "coefficients"):
            check(all(key in e for e in epochs), f"{folder}: metrics have {key}")
        other = "test" if split == "validation" else "validation"
        check(all(f"{other}_accuracy" not in e for e in epochs), f"{folder}: metrics have no {other}_accuracy")
        depth = json.load(open(os.path.join(folder, "depth.json")))
        check(depth["total_depth"] == m["depth"], f"{folder}: depth.json agrees with results.json")
        check(depth["non_polynomial"] == [] or method == "baseline", f"{folder}: polynomial only")

if errors:
    print("\n".join("error: " + e for e in errors))
    sys.exit(1)
print(f"ok: {len(methods)} methods x {len(seeds)} seeds")
