#!/usr/bin/python3
"""Markdown tables of the newest benchmark results, for docs/performance.md:
per training-step configuration the median hec/PyTorch ratio, the images/s,
the fraction of fp32 peak and the peak memory of each; per network the
compile-time ratio. Reads bench/results/*.jsonl; the last line of each
configuration wins.

  bench/summarise.py [--results bench/results]
"""
import argparse
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def newest(path, key):
    rows = {}
    if os.path.exists(path):
        for line in open(path):
            row = json.loads(line)
            rows[row[key]] = row
    return list(rows.values())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--results", default=os.path.join(ROOT, "bench/results"))
    a = p.parse_args()
    print("| configuration | hec img/s | PyTorch img/s | ratio (median, [min, max]) "
          "| % of fp32 peak (hec / PyTorch) | step peak RSS MiB (hec / PyTorch) "
          "| load | commit |")
    print("|---|---|---|---|---|---|---|---|")
    for r in newest(os.path.join(a.results, "train_step.jsonl"), "config"):
        h, t = r["hec"], r["pytorch"]
        print(f"| {r['config']} (batch {r['batch']}, {r['threads']} threads, "
              f"{r['runs']} runs) | {h['images_per_s']:.1f} | {t['images_per_s']:.1f} "
              f"| {r['ratio_median']:.2f} [{r['ratio_min']:.2f}, {r['ratio_max']:.2f}] "
              f"| {100 * h['peak_fraction']:.1f} / {100 * t['peak_fraction']:.1f} "
              f"| {h['step_peak_rss_kb'] / 1024:.0f} / {t['step_peak_rss_kb'] / 1024:.0f} "
              f"| {r['load_median']:.1f} | {r['commit'][:7]} |")
    print()
    print("| network | weights MiB | parse+print s | pipeline + report s | ratio "
          "| max RSS MiB (parse / full) | commit |")
    print("|---|---|---|---|---|---|---|")
    for r in newest(os.path.join(a.results, "compile.jsonl"), "network"):
        print(f"| {r['network']} | {r['weights_bytes'] / 2**20:.1f} "
              f"| {r['parse_print_s']:.3f} | {r['full_s']:.3f} | {r['ratio_median']:.2f} "
              f"| {r['parse_print_rss_kb'] / 1024:.0f} / {r['full_rss_kb'] / 1024:.0f} "
              f"| {r['commit'][:7]} |")


if __name__ == "__main__":
    main()
