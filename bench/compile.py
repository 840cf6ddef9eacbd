#!/usr/bin/python3
"""Compile time: he-opt's full polynomial pipeline and depth report on
SqueezeNet 1.0 and the paper's AlexNet with their weights inside, against
merely parsing and printing the same module.

For each network, hec-bench-weights writes the zoo network (ReLU, max-pool,
batch-norm) with random weights as bytecode; then, alternately and `--runs`
times each:
  parse+print: he-opt IN --emit-bytecode -o OUT
  full:        he-opt IN --pass-pipeline=PIPELINE --emit-bytecode -o OUT
with PIPELINE = lower max-pools, replace ReLUs by trainable polynomials,
he-polynomial-pipeline (finalize, canonicalize, fold batch-norm, absorb
scalars, verify) and depth-report. Reports the median wall times, their
ratio and max RSS; appends one JSON line per network to
bench/results/compile.jsonl, with one run's --mlir-timing pass breakdown.

  bench/compile.py [--bin build/bin] [--runs 7]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_train_step import ROOT, commit, cpu_info  # noqa: E402

PIPELINE = ("builtin.module(func.func(he-lower-maxpool,"
            "he-replace-activations{method=poly}),he-polynomial-pipeline,"
            "depth-report)")
NETWORKS = [("squeezenet1_0", 3, 224), ("alexnet", 3, 224)]


def timed(command):
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err}{out}")
    return seconds, usage.ru_maxrss, out + err


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", default=os.path.join(ROOT, "build/bin"))
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--out", default=os.path.join(ROOT, "bench/results/compile.jsonl"))
    p.add_argument("--note", default="")
    a = p.parse_args()
    he_opt = os.path.join(a.bin, "he-opt")
    rev, cpu = commit(), cpu_info()
    with tempfile.TemporaryDirectory() as tmp:
        for model, classes, size in NETWORKS:
            src = os.path.join(tmp, f"{model}.mlirbc")
            subprocess.run([os.path.join(a.bin, "hec-bench-weights"), "--model", model,
                            "--classes", str(classes), "--image-size", str(size),
                            "-o", src], check=True)
            dst = os.path.join(tmp, "out.mlirbc")
            commands = {
                "parse_print": [he_opt, src, "--emit-bytecode", "-o", dst],
                "full": [he_opt, src, f"--pass-pipeline={PIPELINE}",
                         "--emit-bytecode", "-o", dst],
            }
            runs = []
            for r in range(a.runs):
                order = ["parse_print", "full"] if r % 2 == 0 else ["full", "parse_print"]
                run = {"load": os.getloadavg()[0]}
                for kind in order:
                    run[kind + "_s"], run[kind + "_rss_kb"], _ = timed(commands[kind])
                runs.append(run)
            _, _, timing = timed(commands["full"] + ["--mlir-timing"])
            med = {k: statistics.median(r[k] for r in runs)
                   for k in ("parse_print_s", "full_s", "parse_print_rss_kb", "full_rss_kb")}
            summary = {
                "network": model, "classes": classes, "image": [3, size, size],
                "weights_bytes": os.path.getsize(src), "pipeline": PIPELINE,
                "runs": a.runs, "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "commit": rev, "machine": cpu, "note": a.note, **med,
                "ratio_median": statistics.median(r["full_s"] / r["parse_print_s"] for r in runs),
                "load_median": statistics.median(r["load"] for r in runs),
                "mlir_timing": [line for line in timing.splitlines()
                                if "%" in line or "Total" in line],
                "all_runs": runs,
            }
            os.makedirs(os.path.dirname(a.out), exist_ok=True)
            with open(a.out, "a") as f:
                f.write(json.dumps(summary) + "\n")
            print(f"== {model} ({summary['weights_bytes'] / 2**20:.1f} MiB of weights): "
                  f"parse+print {med['parse_print_s']:.3f} s, full pipeline + depth report "
                  f"{med['full_s']:.3f} s, median ratio {summary['ratio_median']:.2f}; "
                  f"max RSS {med['parse_print_rss_kb'] / 1024:.0f} / "
                  f"{med['full_rss_kb'] / 1024:.0f} MiB; load {summary['load_median']:.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
