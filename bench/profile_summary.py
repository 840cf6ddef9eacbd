#!/usr/bin/python3
"""Self time per op name of a chrome trace (hec-bench-train-step --profile,
or torch.autograd.profiler's export_chrome_trace), largest first."""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))
events = events["traceEvents"] if isinstance(events, dict) else events
spans = sorted((e for e in events if e.get("ph") == "X"),
               key=lambda e: (e.get("tid"), e["ts"], -e["dur"]))
self_time, calls, stack = collections.Counter(), collections.Counter(), []
for e in spans:
    while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
        stack.pop()
    if stack and stack[-1].get("tid") == e.get("tid"):
        self_time[stack[-1]["name"]] -= e["dur"]
    self_time[e["name"]] += e["dur"]
    calls[e["name"]] += 1
    stack.append(e)
total = sum(self_time.values())
for name, t in self_time.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 25):
    print(f"{t / 1e3:10.1f} ms {100 * t / total:5.1f}% {calls[name]:6d}  {name}")
print(f"{total / 1e3:10.1f} ms total")
