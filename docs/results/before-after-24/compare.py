#!/usr/bin/env python3
"""Compare two hec run folders (old binary vs new binary) for issue #24.

usage: compare.py OLD_DIR NEW_DIR [--he-opt PATH]

Compared exactly (Python ==, i.e. bit-identical doubles as printed by the
JSON writers):
  results.json   every key of every method except images_per_s;
  metrics.jsonl  every line, every key except the wall-clock ones
                 (seconds, images_per_s);
  run.json       every key except images_per_s and fingerprint (the latter
                 is a hash of the normalised experiment text, reported apart);
  depth.json     every key the old file has;
  model.mlir     textually, after removing the attributes the new binary
                 adds (module he.class_names / he.input_mean / he.input_std,
                 per-op he.range and he.input_range); poly_act coefficients,
                 which the old printer rounds to 7 significant digits, are
                 compared at the old print precision;
  model.mlirbc   (with --he-opt) both bytecode files reprinted in generic
                 form by the SAME he-opt (full-precision coefficients, every
                 weight blob as hex), additions removed, compared exactly.
Keys, files or attributes that only the new side has are listed as "added"
(not as differences). Prints "identical" when nothing differs.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

TIMING = {"seconds", "images_per_s"}

diffs = []
notes = []


def diff(msg):
    diffs.append(msg)


def note(msg):
    if msg not in notes:
        notes.append(msg)


def load(path):
    with open(path) as f:
        return json.load(f)


def cmp_dict(where, old, new, skip=(), label=None):
    """Compare two dicts; keys in `skip` ignored; keys only in new noted."""
    for k in sorted(set(old) | set(new)):
        if k in skip:
            continue
        if k not in new:
            diff(f"{where}: key '{k}' missing in new")
        elif k not in old:
            note(f"{label or where.split(':')[0]}: key '{k}' added in new")
        elif old[k] != new[k]:
            diff(f"{where}: '{k}' old={json.dumps(old[k])[:200]} "
                 f"new={json.dumps(new[k])[:200]}")


# ---------------------------------------------------------------- results
def cmp_results(od, nd):
    o, n = load(f"{od}/results.json"), load(f"{nd}/results.json")
    cmp_dict("results.json", {k: v for k, v in o.items() if k != "methods"},
             {k: v for k, v in n.items() if k != "methods"})
    for m in sorted(set(o["methods"]) | set(n["methods"])):
        if m not in o["methods"] or m not in n["methods"]:
            diff(f"results.json: method {m} only on one side")
            continue
        cmp_dict(f"results.json:{m}", o["methods"][m], n["methods"][m],
                 skip=TIMING)
    return o


# ---------------------------------------------------------------- metrics
def cmp_metrics(where, op, np_):
    ol = [json.loads(l) for l in open(op) if l.strip()]
    nl = [json.loads(l) for l in open(np_) if l.strip()]
    if len(ol) != len(nl):
        diff(f"{where}: {len(ol)} lines old vs {len(nl)} new")
    for i, (a, b) in enumerate(zip(ol, nl)):
        before = len(diffs)
        cmp_dict(f"{where} line {i + 1} (epoch {a.get('epoch')})", a, b,
                 skip=TIMING, label="metrics.jsonl")
        if len(diffs) > before:
            diff(f"{where}: first difference at line {i + 1}, "
                 f"epoch {a.get('epoch')}")
            return  # the first differing epoch is what matters


# ---------------------------------------------------------------- model.mlir
ADDED_ATTR = re.compile(r"he\.(?:range|input_range) = \{[^}]*\}(?:, )?")
MODULE_ATTRS = re.compile(
    r"(?:module attributes |\}\) )\{he\.class_names = \[[^\]]*\], "
    r"he\.input_mean = \[[^\]]*\], he\.input_std = \[[^\]]*\]\}")
COEFFS = re.compile(r"coeffs (?:= array<f64: ([^>]*)>|\[([^\]]*)\])")


def strip_additions(text):
    found = set()
    if MODULE_ATTRS.search(text):
        found.add("module he.class_names/he.input_mean/he.input_std")
    text = MODULE_ATTRS.sub(lambda m: "module" if m.group(0).startswith(
        "module") else "}) ", text)
    for m in re.finditer(r"he\.(range|input_range) = \{", text):
        found.add("he." + m.group(1))
    text = ADDED_ATTR.sub("", text)
    text = text.replace(" {}", "").replace(", }", "}")
    text = re.sub(r"\}\)  : \(\)", "}) : ()", text)
    return text, found


RES_REF = re.compile(r"dense_resource<([^>]*?)_\d+>")
RES_KEY = re.compile(r"^(\s+[^\s:]+?)_\d+: \"0x", re.M)


def strip_resource_suffixes(text):
    """MLIR uniques a blob's key per process (features.0.weight_7 in a
    process that made six before it, _1 in a fresh one): drop the counter."""
    text = RES_REF.sub(r"dense_resource<\1>", text)
    return RES_KEY.sub(r'\1: "0x', text)


def coeff_list(m):
    return [t.strip() for t in (m.group(1) or m.group(2)).split(",")]


def same_coeff(o_tok, n_tok):
    if o_tok == n_tok:
        return "exact"
    ov, nv = float(o_tok), float(n_tok)
    if ov == nv:
        return "exact"
    # the old textual printer: 7 significant digits (%.6e), of the double or,
    # as observed, of the double rounded to float32 first (1.9064665300248
    # printed as 1.906466e+00); --he-opt compares at full precision
    f32 = struct.unpack("f", struct.pack("f", nv))[0]
    if re.fullmatch(r"-?\d\.\d{6}e[+-]\d\d", o_tok) and \
            o_tok in ("%.6e" % nv, "%.6e" % f32):
        return "rounded"
    return None


def cmp_mlir_text(where, o_text, n_text):
    o_text, o_found = strip_additions(o_text)
    n_text, found = strip_additions(n_text)
    for f in sorted(found - o_found):
        note(f"model.mlir: attribute {f} added in new")
    o2, n2 = strip_resource_suffixes(o_text), strip_resource_suffixes(n_text)
    refs = re.compile(r"dense_resource<[^>]*>")
    if refs.findall(o_text) != refs.findall(n_text):
        note("model.mlir: the blob keys' uniquing counters differ "
             "(features.0.weight_7 vs _1); ignored, contents compared")
    o_text, n_text = o2, n2
    ol, nl = o_text.splitlines(), n_text.splitlines()
    if len(ol) != len(nl):
        diff(f"{where}: {len(ol)} lines old vs {len(nl)} new")
        return
    rounded = 0
    for i, (a, b) in enumerate(zip(ol, nl)):
        if a == b:
            continue
        ma, mb = COEFFS.search(a), COEFFS.search(b)
        if ma and mb and COEFFS.sub("C", a) == COEFFS.sub("C", b):
            ca, cb = coeff_list(ma), coeff_list(mb)
            kinds = [same_coeff(x, y) for x, y in zip(ca, cb)]
            if len(ca) == len(cb) and all(kinds):
                rounded += kinds.count("rounded")
                continue
        diff(f"{where} line {i + 1}:\n   old: {a[:300]}\n   new: {b[:300]}")
    if rounded:
        note("model.mlir: poly_act coefficients printed with full precision "
             "in new (old rounds to 7 digits; equal at that precision)")
    return True


def reprint(he_opt, path):
    with tempfile.NamedTemporaryFile("r", suffix=".mlir") as out:
        subprocess.run([he_opt, "--mlir-print-op-generic", path, "-o",
                        out.name], check=True)
        return open(out.name).read()


# ---------------------------------------------------------------- main
def main():
    args = sys.argv[1:]
    he_opt = None
    if "--he-opt" in args:
        i = args.index("--he-opt")
        he_opt = args[i + 1]
        del args[i:i + 2]
    od, nd = args
    res = cmp_results(od, nd)
    fingerprints = set()
    runs = 0
    for m, r in sorted(res["methods"].items()):
        for s in r["seeds"]:
            rel = f"{m}/seed-{s}"
            o, n = f"{od}/{rel}", f"{nd}/{rel}"
            runs += 1
            of, nf = set(os.listdir(o)), set(os.listdir(n))
            for f in sorted(of - nf):
                diff(f"{rel}: {f} missing in new")
            for f in sorted(nf - of):
                note(f"run folder: file {f} added in new")
            cmp_metrics(f"{rel}/metrics.jsonl", f"{o}/metrics.jsonl",
                        f"{n}/metrics.jsonl")
            ro, rn = load(f"{o}/run.json"), load(f"{n}/run.json")
            cmp_dict(f"{rel}/run.json", ro, rn,
                     skip=TIMING | {"fingerprint"}, label="run.json")
            fingerprints.add((ro.get("fingerprint"), rn.get("fingerprint")))
            do, dn = load(f"{o}/depth.json"), load(f"{n}/depth.json")
            for k in do:
                if k not in dn:
                    diff(f"{rel}/depth.json: key '{k}' missing in new")
                elif do[k] != dn[k]:
                    diff(f"{rel}/depth.json: '{k}' differs: old="
                         f"{json.dumps(do[k])[:200]} new="
                         f"{json.dumps(dn[k])[:200]}")
            for k in sorted(set(dn) - set(do)):
                note(f"depth.json: key '{k}' added in new")
            cmp_mlir_text(f"{rel}/model.mlir", open(f"{o}/model.mlir").read(),
                          open(f"{n}/model.mlir").read())
            if he_opt:
                a, _ = strip_additions(reprint(he_opt, f"{o}/model.mlirbc"))
                b, _ = strip_additions(reprint(he_opt, f"{n}/model.mlirbc"))
                a, b = strip_resource_suffixes(a), strip_resource_suffixes(b)
                if a != b:
                    al, bl = a.splitlines(), b.splitlines()
                    i = next((i for i, (x, y) in enumerate(zip(al, bl))
                              if x != y), min(len(al), len(bl)))
                    diff(f"{rel}/model.mlirbc (generic reprint) first differs "
                         f"at line {i + 1}")
    for fo, fn in sorted(fingerprints):
        if fo != fn:
            note(f"run.json: fingerprint old {fo} new {fn} (hash of the "
                 "normalised experiment text, which has new keys with "
                 "defaults; excluded from the comparison)")
    print(f"compared {od} vs {nd}: {runs} runs"
          + (", model.mlirbc reprinted by " + he_opt if he_opt else ""))
    for n_ in notes:
        print("  note:", n_)
    if diffs:
        print("DIFFERENCES:")
        for d in diffs:
            print("  ", d)
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
