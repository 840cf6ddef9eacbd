"""Compares two logits files (`<index> <class> <logit>...` per image, as
`hec eval --logits` and tools/onnx-check/run.js write them): the same
images, the same predicted class for every image, and every logit within
TOL relative to the image's largest |logit| (default 1e-4).

Usage: compare_logits.py REFERENCE OTHER [TOL]
"""
import sys


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            rows.append((int(fields[0]), int(fields[1]), [float(v) for v in fields[2:]]))
    return rows


ref, other = read(sys.argv[1]), read(sys.argv[2])
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
if len(ref) != len(other) or not ref:
    sys.exit("different image counts: %d and %d" % (len(ref), len(other)))
worst, bad = 0.0, []
for (i, p, a), (j, q, b) in zip(ref, other):
    if i != j or len(a) != len(b):
        sys.exit("image %d: rows do not line up" % i)
    scale = max(abs(v) for v in a) or 1.0
    err = max(abs(x - y) for x, y in zip(a, b)) / scale
    worst = max(worst, err)
    if p != q:
        bad.append("image %d: class %d against %d" % (i, p, q))
    if err > tol:
        bad.append("image %d: logits differ by %.3g relative" % (i, err))
for line in bad[:10]:
    print(line)
print("%d images, %d classes, predictions %s, largest relative difference %.3g (tolerance %g)"
      % (len(ref), len(ref[0][2]), "equal" if not any("class" in b for b in bad) else "differ", worst, tol))
sys.exit(1 if bad else 0)
