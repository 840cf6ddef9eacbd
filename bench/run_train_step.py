#!/usr/bin/python3
"""Training-step throughput, hec against PyTorch, side by side.

Runs build/bin/hec-bench-train-step (hec) and bench/train_step.py (PyTorch)
alternately, `--runs` times each per configuration (the order flips every
run, so drift in the machine's load hits both alike), and reports per
configuration the median images/s of each, the median of the per-run ratios
hec/PyTorch, the peak memory of each (the whole process's max RSS, and the
peak over the training steps alone), the fraction of the CPU's fp32 peak
that hec and PyTorch reach, and the load average around each run. Both get
the same environment: OMP_NUM_THREADS and OMP_WAIT_POLICY (--omp-wait-policy).

Appends one JSON line per configuration to bench/results/train_step.jsonl
(machine, threads, commit, every run). Never asserts anything: the numbers
are data. Needs Debian's python3-torch (bench/install.sh).

  bench/run_train_step.py                       # every configuration
  bench/run_train_step.py --only alexnet_small --runs 3
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name, model, lambda, batch, warmup, steps, [C, H] of the images
CONFIGS = [
    ("alexnet_small-l0.5", "alexnet_small", 0.5, 128, 5, 30, (1, 28)),
    ("alexnet_small-l0", "alexnet_small", 0.0, 128, 5, 30, (1, 28)),
    ("alexnet_small-l1", "alexnet_small", 1.0, 128, 5, 30, (1, 28)),
    # The paper-size networks: a few steps only, to stay within minutes.
    ("alexnet-224-l0.5", "alexnet", 0.5, 32, 2, 5, (3, 224)),
    ("squeezenet1_0-224-l0.5", "squeezenet1_0", 0.5, 32, 2, 5, (3, 224)),
]


def cpu_info():
    text = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", text).group(1).strip()
    mhz = float(re.search(r"cpu MHz\s*:\s*([\d.]+)", text).group(1))
    flags = set(re.search(r"flags\s*:\s*(.*)", text).group(1).split())
    vendor = re.search(r"vendor_id\s*:\s*(\S+)", text).group(1)
    family = int(re.search(r"cpu family\s*:\s*(\d+)", text).group(1))
    # fp32 FLOPs per cycle and core: two FMA pipes of the vector width the
    # core executes natively (Zen 3/4 split AVX-512 into 256-bit halves).
    if "avx512f" in flags and not (vendor == "AuthenticAMD" and family <= 25):
        per_cycle = 2 * 16 * 2
    elif "fma" in flags and "avx2" in flags:
        per_cycle = 2 * 8 * 2
    else:
        per_cycle = 2 * 4 * 2
    return {"model": model, "mhz": mhz, "cpus": os.cpu_count(),
            "flops_per_cycle": per_cycle}


def commit():
    def git(*args):
        return subprocess.run(["git", "-C", ROOT, *args], capture_output=True,
                              text=True).stdout.strip()
    head = git("rev-parse", "HEAD")
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def run_one(command, env):
    """Runs `command`; its JSON line, max RSS (KiB) and the load averages
    before and after."""
    load_before = os.getloadavg()[0]
    start = time.time()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{shlex.join(command)} failed:\n{err}{out}")
    result = json.loads(out.strip().splitlines()[-1])
    result["max_rss_kb"] = usage.ru_maxrss
    result["wall_s"] = time.time() - start
    result["load_before"] = load_before
    result["load_after"] = os.getloadavg()[0]
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5, help="runs of each, per configuration")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only", action="append", default=[],
                   help="configurations whose name contains this (repeatable)")
    p.add_argument("--hec", default=os.path.join(ROOT, "build/bin/hec-bench-train-step"))
    p.add_argument("--python", default="/usr/bin/python3",
                   help="the Python with Debian's python3-torch")
    p.add_argument("--out", default=os.path.join(ROOT, "bench/results/train_step.jsonl"))
    p.add_argument("--omp-wait-policy", default="passive",
                   help="OMP_WAIT_POLICY of both (passive: threads sleep at "
                        "barriers instead of spinning; on a machine shared "
                        "with other work, spinning threads that lose their "
                        "core make both 5-10x slower); 'default' leaves it unset")
    p.add_argument("--pytorch-malloc-like-hec", action="store_true",
                   help="give PyTorch the allocator settings hec's runtime "
                        "makes itself (runtime/Allocator.h) through glibc's "
                        "environment: a check of how much of the gap they are")
    p.add_argument("--note", default="", help="stored with the results")
    a = p.parse_args()

    cpu = cpu_info()
    peak = a.threads * cpu["mhz"] * 1e6 * cpu["flops_per_cycle"]
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
    env.pop("OMP_WAIT_POLICY", None)
    if a.omp_wait_policy != "default":
        env["OMP_WAIT_POLICY"] = a.omp_wait_policy
    configs = [c for c in CONFIGS if not a.only or any(o in c[0] for o in a.only)]
    rev = commit()
    for name, model, lam, batch, warmup, steps, (ch, size) in configs:
        args = ["--model", model, "--lambda", str(lam), "--batch", str(batch),
                "--warmup", str(warmup), "--steps", str(steps),
                "--torch-threads", str(a.threads), "--channels", str(ch),
                "--image-size", str(size)]
        commands = {"hec": [a.hec, *args],
                    "pytorch": [a.python, os.path.join(ROOT, "bench/train_step.py"), *args]}
        envs = {"hec": env, "pytorch": dict(env)}
        if a.pytorch_malloc_like_hec:
            envs["pytorch"].update(MALLOC_MMAP_MAX_="0",
                                   MALLOC_TRIM_THRESHOLD_=str(2**62))
        runs = []
        for r in range(a.runs):
            order = ["hec", "pytorch"] if r % 2 == 0 else ["pytorch", "hec"]
            pair = {impl: run_one(commands[impl], envs[impl]) for impl in order}
            pair["ratio"] = pair["hec"]["images_per_s"] / pair["pytorch"]["images_per_s"]
            runs.append(pair)
            print(f"{name} run {r + 1}: hec {pair['hec']['images_per_s']:.1f} img/s, "
                  f"pytorch {pair['pytorch']['images_per_s']:.1f} img/s, "
                  f"ratio {pair['ratio']:.2f} (load {pair[order[0]]['load_before']:.1f})",
                  flush=True)

        def median(impl, key):
            return statistics.median(r[impl][key] for r in runs)
        flops = runs[0]["hec"]["step_flops"]
        summary = {
            "config": name, "model": model, "lambda": lam, "batch": batch,
            "warmup": warmup, "steps": steps, "image": [ch, size, size],
            "threads": a.threads, "runs": a.runs,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": rev,
            "machine": cpu, "peak_flops": peak, "note": a.note,
            "omp_wait_policy": a.omp_wait_policy,
            "pytorch_malloc_like_hec": a.pytorch_malloc_like_hec,
            "ratio_median": statistics.median(r["ratio"] for r in runs),
            "ratio_min": min(r["ratio"] for r in runs),
            "ratio_max": max(r["ratio"] for r in runs),
            "load_median": statistics.median(
                r[i]["load_before"] for r in runs for i in ("hec", "pytorch")),
            "step_flops": flops,
        }
        for impl in ("hec", "pytorch"):
            ips = median(impl, "images_per_s")
            summary[impl] = {
                "images_per_s": ips,
                "peak_fraction": flops * ips / batch / peak,
                "max_rss_kb": median(impl, "max_rss_kb"),
                "step_peak_rss_kb": median(impl, "step_peak_rss_kb"),
            }
        summary["memory_ratio"] = summary["hec"]["max_rss_kb"] / summary["pytorch"]["max_rss_kb"]
        summary["step_memory_ratio"] = (summary["hec"]["step_peak_rss_kb"] /
                                        summary["pytorch"]["step_peak_rss_kb"])
        summary["all_runs"] = runs
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(a.out, "a") as f:
            f.write(json.dumps(summary) + "\n")
        h, t = summary["hec"], summary["pytorch"]
        print(f"== {name}: median ratio hec/pytorch {summary['ratio_median']:.2f} "
              f"[{summary['ratio_min']:.2f}, {summary['ratio_max']:.2f}]; "
              f"hec {h['images_per_s']:.1f} img/s ({100 * h['peak_fraction']:.1f}% of fp32 peak), "
              f"pytorch {t['images_per_s']:.1f} img/s ({100 * t['peak_fraction']:.1f}%); "
              f"max RSS hec {h['max_rss_kb'] / 1024:.0f} MiB, pytorch {t['max_rss_kb'] / 1024:.0f} MiB; "
              f"step peak hec {h['step_peak_rss_kb'] / 1024:.0f} MiB, "
              f"pytorch {t['step_peak_rss_kb'] / 1024:.0f} MiB; load {summary['load_median']:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
