"""Interrupts a hec sweep and resumes it; the resumed sweep must write what an
uninterrupted one writes, bit for bit (timing fields aside).

Usage: interrupt.py MODE EXPERIMENT WORKDIR
  kill9    SIGKILL in the middle of an epoch after the first checkpoint
  sigint   one SIGINT: stop at a batch boundary, checkpoint, exit 130
  sigint2  two SIGINTs: exit at once, the last checkpoint intact
  sigterm  one SIGTERM: as sigint, exit 143
  corrupt  SIGKILL, then damaged copies of the checkpoint are refused (path
           and what is wrong, exit 1, the file left as it is) before the
           intact one resumes
  teacher  SIGKILL, then the teacher (the baseline's model.mlirbc) is
           rewritten with the same network as text: other bytes, so the
           resume is refused until the original is back
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

mode, experiment, work = sys.argv[1], sys.argv[2], sys.argv[3]
RUN = "tp_st_kd/seed-7"  # the run that is interrupted
TIMING = {"seconds", "images_per_s"}


def fail(message):
    print("error: " + message)
    sys.exit(1)


def hec(out, *extra, check=True):
    result = subprocess.run(["hec", experiment, "--out", out, *extra],
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        fail(f"hec {' '.join(extra)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def canonical_resources(text):
    """MLIR uniques resource names per process ("fc.weight_3"): number them
    by first appearance so that two processes' models compare."""
    names = {}
    return re.sub(r"dense_resource<([^>]+)>|^( +)([\w.]+_\d+):",
                  lambda m: (f"dense_resource<r{names.setdefault(m[1], len(names))}>" if m[1]
                             else f"{m[2]}r{names.setdefault(m[3], len(names))}:"),
                  text, flags=re.M)


def contents(out):
    """Every file a sweep leaves, timing fields removed from the JSON ones."""
    files = {}
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            key = os.path.relpath(path, out)
            text = open(path, "rb").read()
            if name.endswith(".jsonl"):
                files[key] = [strip(json.loads(line)) for line in text.splitlines()]
            elif name.endswith(".json"):
                files[key] = strip(json.loads(text))
            elif name.endswith(".mlirbc") or name.endswith(".mlirbc.sha256"):
                continue  # the same weights as model.mlir, in binary
            elif name.endswith(".mlir"):
                files[key] = canonical_resources(text.decode())
            elif name.endswith(".md"):
                # The table's images/s column is timing.
                files[key] = [line.rsplit("|", 4)[0] + "|".join(line.rsplit("|", 4)[2:])
                              for line in text.decode().splitlines()]
            else:
                files[key] = text
    return files


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
reference, interrupted = os.path.join(work, "reference"), os.path.join(work, "interrupted")
hec(reference)

checkpoint = os.path.join(interrupted, RUN, "checkpoint.hec")
signals = {"kill9": [signal.SIGKILL], "corrupt": [signal.SIGKILL], "teacher": [signal.SIGKILL],
           "sigint": [signal.SIGINT],
           "sigint2": [signal.SIGINT, signal.SIGINT], "sigterm": [signal.SIGTERM]}[mode]


def interrupt():
    """Starts the sweep, waits for the run's first checkpoint, signals."""
    shutil.rmtree(interrupted, ignore_errors=True)
    process = subprocess.Popen(["hec", experiment, "--out", interrupted],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not os.path.exists(checkpoint):  # the first epoch of the run is done
        if process.poll() is not None or time.time() > deadline:
            fail("the run finished before its first checkpoint was seen")
        time.sleep(0.001)
    first = open(checkpoint, "rb").read()
    for s in signals:
        process.send_signal(s)
        time.sleep(0.002)
    stdout, stderr = process.communicate(timeout=60)
    return process, first, stdout, stderr


# Two SIGINTs race the clean stop the first one starts: on a loaded machine
# the stop can finish before the second lands. Such a try shows nothing
# about the second, so it is tried again; a second SIGINT that is ignored
# fails every try.
for attempt in range(5):
    process, first, stdout, stderr = interrupt()
    if mode != "sigint2" or "interrupted again" in stderr or process.returncode != 130:
        break
want = {"kill9": -signal.SIGKILL, "corrupt": -signal.SIGKILL, "teacher": -signal.SIGKILL, "sigint": 130, "sigint2": 130, "sigterm": 143}[mode]
if process.returncode != want:
    fail(f"exit status {process.returncode}, expected {want}:\n{stdout}{stderr}")
if os.path.exists(os.path.join(interrupted, RUN, "run.json")):
    fail("the interrupted run finished anyway: interrupt earlier")
if mode in ("sigint", "sigterm"):
    if "Resume with:" not in stderr or "--resume" not in stderr:
        fail("no resume hint:\n" + stderr)
    if open(checkpoint, "rb").read() == first:
        fail("no checkpoint was written at the stop")
if mode == "sigint2" and "interrupted again" not in stderr:
    fail("the second SIGINT did not exit at once:\n" + stderr)
print(f"{mode}: exit {process.returncode}, checkpoint of {os.path.getsize(checkpoint)} bytes")

if mode == "corrupt":
    good = open(checkpoint, "rb").read()
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01
    damages = [("a flipped byte", bytes(flipped), "checksum mismatch"),
               ("half the file", good[:len(good) // 2], "truncated"),
               ("another file", b"PK\x03\x04 not a checkpoint at all" * 4,
                "not a hec checkpoint")]
    for what, damaged, message in damages:
        open(checkpoint, "wb").write(damaged)
        result = hec(interrupted, "--resume", check=False)
        if result.returncode != 1:
            fail(f"{what}: exit {result.returncode}, expected 1")
        if f"{checkpoint}: {message}" not in result.stderr or "--resume" not in result.stderr:
            fail(f"{what}: expected '{checkpoint}: {message}' in:\n{result.stderr}")
        if open(checkpoint, "rb").read() != damaged:
            fail(f"{what}: the damaged checkpoint was changed")
        failed = json.load(open(os.path.join(interrupted, "results.json")))["methods"]["tp_st_kd"]["failed"]
        if not failed or message not in failed[0]["message"]:
            fail(f"{what}: results.json does not record the failure: {failed}")
        print(f"{what}: refused: {message}")
    open(checkpoint, "wb").write(good)

if mode == "teacher":
    teacher = os.path.join(interrupted, "baseline", "seed-7", "model.mlirbc")
    good = open(teacher, "rb").read()
    shutil.copyfile(os.path.join(interrupted, "baseline", "seed-7", "model.mlir"), teacher)
    result = hec(interrupted, "--resume", check=False)
    message = f"trained with another teacher file than {teacher}"
    if result.returncode != 1 or message not in result.stderr or "--resume" not in result.stderr:
        fail(f"another teacher: exit {result.returncode}, expected 1 and '{message}' in:\n{result.stderr}")
    print("another teacher: refused")
    open(teacher, "wb").write(good)

resumed = hec(interrupted, "--resume")
if "[baseline seed 7] finished earlier: skipped" not in resumed.stdout:
    fail("the finished baseline was not skipped:\n" + resumed.stdout)
if "[tp_st_kd seed 7] resuming from" not in resumed.stdout:
    fail("the interrupted run did not resume:\n" + resumed.stdout)
print(next(l for l in resumed.stdout.splitlines() if "resuming from" in l))

a, b = contents(reference), contents(interrupted)
if sorted(a) != sorted(b):
    fail(f"different files: {sorted(a)} vs {sorted(b)}")
for key in sorted(a):
    if a[key] != b[key]:
        fail(f"{key} differs after resume:\n{a[key]!r:.2000}\n{b[key]!r:.2000}")
print(f"identical: {len(a)} files")
