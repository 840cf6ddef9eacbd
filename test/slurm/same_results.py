# Usage: same_results.py A/results.json B/results.json
# The two sweeps' results.json, whole, but for the training speed
# (images/s, which depends on the machine's load): prints "same results:
# N methods x M seeds" or what differs, and exits 1 then.
import json
import sys

a, b = (json.load(open(path)) for path in sys.argv[1:3])


def without_speed(results):
    out = dict(results)
    out["methods"] = {
        method: {k: v for k, v in entry.items() if k != "images_per_s"}
        for method, entry in results.get("methods", {}).items()
    }
    return out


ra, rb = without_speed(a), without_speed(b)
if ra != rb:
    for key in sorted(set(ra) | set(rb)):
        if key != "methods" and ra.get(key) != rb.get(key):
            print(f"{key} differs:\n  {ra.get(key)}\n  {rb.get(key)}")
    ma, mb = ra.get("methods", {}), rb.get("methods", {})
    for method in sorted(set(ma) | set(mb)):
        if ma.get(method) != mb.get(method):
            print(f"{method} differs:\n  {ma.get(method)}\n  {mb.get(method)}")
    sys.exit(1)
seeds = {len(entry["seeds"]) for entry in ra["methods"].values()}
print(f"same results: {len(ra['methods'])} methods x "
      f"{max(seeds) if seeds else 0} seeds")
