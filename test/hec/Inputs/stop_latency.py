"""Sends SIGTERM to hec in a long stretch without a training batch boundary
and checks that it stops within LIMIT seconds, leaving its files consistent.

Usage: stop_latency.py MODE WORKDIR
  cache  decoding an image folder into the decode cache (120 PNGs of
         3000x3000 pixels, one thread): exit 143 within LIMIT s with the
         number of images decoded, fewer than all; the cache folder holds no
         file, not even a temporary one
  eval   the evaluation after an epoch's last batch (a 64-channel network
         on 200,000 test images): exit 143 within LIMIT s; the checkpoint is
         that of the batch boundary before the evaluation, and a resumed
         run starts there (it is stopped the same way, within LIMIT s)
  step   inside a training step (a 1024-channel network, 256 images a
         batch: a step of many seconds): exit 143 within LIMIT s; the step
         in flight is undone, so the checkpoint and the resumed run stand at
         the boundary before it (batch 0, where a stop honoured only
         between batches would leave batch 1); the resumed run is stopped
         the same way
"""
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib

LIMIT = 10  # seconds; the full stretch takes well over a minute on 2 cores
mode, work = sys.argv[1], sys.argv[2]
inputs = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    print("error: " + message)
    sys.exit(1)


def png(size):
    """A grey PNG of size x size pixels: small on disk, long to decode."""
    row = b"\x00" + bytes((i * 7) & 0xFF for i in range(size))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(row * size, 6)) + chunk(b"IEND", b""))


def stop(args, ready, wait):
    """Runs hec, waits for `ready` in its output, `wait` seconds more, then
    SIGTERM; returns (exit status, seconds from the signal to the exit,
    stdout, stderr)."""
    process = subprocess.Popen(["hec", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    out, err, seen = [], [], threading.Event()

    def read(stream, into):
        for line in stream:
            into.append(line)
            if ready in line:
                seen.set()

    readers = [threading.Thread(target=read, args=(process.stdout, out)),
               threading.Thread(target=read, args=(process.stderr, err))]
    for r in readers:
        r.start()
    if not seen.wait(timeout=600):
        process.kill()
        fail(f"'{ready}' never appeared:\n{''.join(out)}{''.join(err)}")
    time.sleep(wait)
    if process.poll() is not None:
        fail(f"hec ended before the signal:\n{''.join(out)}{''.join(err)}")
    start = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("still running 300 s after SIGTERM")
    seconds = time.monotonic() - start
    for r in readers:
        r.join()
    return process.returncode, seconds, "".join(out), "".join(err)


def synthetic(name, model, train, test, batch, epochs):
    """Writes WORK/NAME.toml: the baseline of MODEL on 1x8x8 synthetic
    images of 3 classes, one thread; returns its path."""
    path = os.path.join(work, name + ".toml")
    with open(path, "w") as f:
        f.write(f'name = "{name}"\nmethods = ["baseline"]\n[data]\n'
                f'kind = "synthetic"\nimage_size = [1, 8, 8]\n'
                f'[data.synthetic]\nclasses = 3\ntrain_size = {train}\n'
                f'test_size = {test}\n[model]\nname = "{inputs}/{model}"\n'
                f'[training]\nbatch_size = {batch}\nepochs = {epochs}\n'
                f'seeds = [1]\nthreads = 1\n')
    return path


def line(out, text):
    return next(l for l in out.splitlines() if text in l)


def check(status, seconds, out, err):
    if status != 143:
        fail(f"exit status {status}, expected 143:\n{out}{err}")
    if seconds > LIMIT:
        fail(f"exited {seconds:.1f} s after SIGTERM, more than {LIMIT} s:\n{out}{err}")
    print(f"exit 143, {seconds:.2f} s after SIGTERM")


os.makedirs(work, exist_ok=True)
if mode == "cache":
    folder = os.path.join(work, "folder")
    image = png(3000)
    for c in "abc":
        os.makedirs(os.path.join(folder, "train", c), exist_ok=True)
        os.makedirs(os.path.join(folder, "test", c), exist_ok=True)
        for i in range(40):
            with open(os.path.join(folder, "train", c, f"{i}.png"), "wb") as f:
                f.write(image)
        with open(os.path.join(folder, "test", c, "0.png"), "wb") as f:
            f.write(image)
    cache = os.path.join(work, "cache")
    experiment = os.path.join(work, "cache.toml")
    with open(experiment, "w") as f:
        f.write(f'name = "cache"\nmethods = ["baseline"]\n[data]\n'
                f'kind = "image-folder"\npath = "{folder}"\n'
                f'image_size = [1, 8, 8]\ncache = "{cache}"\n'
                f'[model]\nname = "{inputs}/tiny_net.mlir"\n'
                f'[training]\nbatch_size = 8\nepochs = 1\nseeds = [1]\n'
                f'threads = 1\n')
    status, seconds, out, err = stop(
        [experiment, "--out", os.path.join(work, "run")],
        "decoding the train images", 1)
    check(status, seconds, out, err)
    said = [l for l in err.splitlines() if "stopped while decoding" in l]
    if not said:
        fail("no word of the stop:\n" + err)
    print(said[0].split("(")[0].strip())
    done = int(said[0].split("(")[1].split(" of ")[0])
    if not 0 <= done < 120:
        fail(f"{done} of 120 images decoded: the stop was not seen while decoding")
    print(f"{done} of 120 images decoded")
    if os.listdir(cache):
        fail(f"the cache folder holds {os.listdir(cache)}")
    print("the cache folder is empty")
elif mode == "eval":
    experiment = synthetic("eval", "wide_net.mlir", 64, 200000, 32, 2)
    run = os.path.join(work, "run")
    # --max-batches 1: the epoch's one batch takes a moment, then its
    # evaluation runs long.
    args = [experiment, "--out", run, "--max-batches", "1"]
    status, seconds, out, err = stop(args, "training on 64 images", 4)
    check(status, seconds, out, err)
    if "epoch 1/2" in out:
        fail("the evaluation finished before the stop:\n" + out)
    print(line(out, "stopped; checkpoint"))
    status, seconds, out, err = stop(args + ["--resume"], "resuming from", 4)
    check(status, seconds, out, err)
    print(line(out, "resuming from"))
    print(line(out, "stopped; checkpoint"))
elif mode == "step":
    experiment = synthetic("step", "slow_step_net.mlir", 1024, 30, 256, 1)
    run = os.path.join(work, "run")
    args = [experiment, "--out", run, "--max-batches", "2"]
    for resume in ([], ["--resume"]):
        status, seconds, out, err = stop(args + resume, "training on 1024", 3)
        check(status, seconds, out, err)
        if resume:
            print(line(out, "resuming from"))
        print(line(out, "stopped; checkpoint"))
else:
    fail("unknown mode " + mode)
print(f"stopped within {LIMIT} s")
