"""Flattens depth-report JSON (one object per function, concatenated) into
lines FileCheck can match in order, whatever order the keys are printed in.
Fails when stdin holds anything else, e.g. the module's text."""
import json
import sys


def show(v):
    return "null" if v is None else json.dumps(v)


def op_line(o):
    return " ".join([o["op"], o["name"], o["loc"]])


text = sys.stdin.read()
decoder = json.JSONDecoder()
pos = 0
while True:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos == len(text):
        break
    report, pos = decoder.raw_decode(text, pos)
    print("function", report["function"])
    print("total_depth", show(report["total_depth"]))
    print("parameters", show(report["parameters"]))
    print("buffers", show(report["buffers"]))
    for key in sorted(report["cost_model"]):
        print("cost_model", key, show(report["cost_model"][key]))
    for key in sorted(report["ckks"]):
        print("ckks", key, show(report["ckks"][key]))
    for o in report["non_polynomial"]:
        print("non_polynomial", op_line(o))
    for o in report["critical_path"]:
        print("critical_path", op_line(o), show(o["cost"]), show(o["out_level"]))
    for o in report["ops"]:
        print("op", op_line(o), show(o["in_level"]), show(o["cost"]),
              show(o["out_level"]))
