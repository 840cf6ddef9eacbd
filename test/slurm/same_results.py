# Usage: same_results.py A/results.json B/results.json
# The two sweeps' results, run by run (per method, per seed), without the
# training speed (images/s, which depends on the machine's load): prints
# "same results: N methods x M seeds" or what differs, and exits 1 then.
import json
import sys

a, b = (json.load(open(path)) for path in sys.argv[1:3])


def runs(results):
    out = {}
    for method, entry in results["methods"].items():
        entry = dict(entry)
        entry.pop("images_per_s", None)
        out[method] = entry
    return out


ra, rb = runs(a), runs(b)
if ra != rb:
    for method in sorted(set(ra) | set(rb)):
        if ra.get(method) != rb.get(method):
            print(f"{method} differs:\n  {ra.get(method)}\n  {rb.get(method)}")
    sys.exit(1)
seeds = {len(entry["seeds"]) for entry in ra.values()}
print(f"same results: {len(ra)} methods x {max(seeds) if seeds else 0} seeds")
