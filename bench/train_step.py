#!/usr/bin/python3
"""The PyTorch baseline of bench/train_step.cpp: the same network and the same
training step, written as a plain PyTorch user would write it.

Every activation is a blend (1 - lam) * relu(x) + lam * (a * x * x + b * x)
with trainable scalars a (init 0) and b (init 1) per layer; every max-pool
is blended with the average pool of the same window, (1 - mu) * max + mu *
avg at mu = 1 (what tp_st's he-lower-maxpool{smooth=true} makes of it, at
hec's hard pool switch; both sides are computed). The step is hec's
(runtime/Trainer.cpp): zero_grad, forward, cross-entropy, loss.item(),
backward, Adam step, the batch's accuracy; batches drawn from a seeded shuffle.
As hec's bench does, it trains warmup + steps batches and times the last
`steps`.

Prints one JSON line. Run with Debian's python3-torch (bench/install.sh).
"""
import argparse
import gzip
import json
import re
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Fashion-MNIST's training-set mean and standard deviation.
MEAN, STD = 0.2860, 0.3530


class Blend(nn.Module):
    def __init__(self, lam):
        super().__init__()
        self.lam = lam
        self.a = nn.Parameter(torch.tensor(0.0))
        self.b = nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        return (1 - self.lam) * F.relu(x) + self.lam * (self.a * x * x + self.b * x)


class PoolBlend(nn.Module):
    def __init__(self, kernel, stride, ceil_mode=False, mu=1.0):
        super().__init__()
        self.max = nn.MaxPool2d(kernel, stride, ceil_mode=ceil_mode)
        self.avg = nn.AvgPool2d(kernel, stride, ceil_mode=ceil_mode)
        self.mu = mu

    def forward(self, x):
        return (1 - self.mu) * self.max(x) + self.mu * self.avg(x)


def alexnet_family(convs, pool, hidden, in_ch, hw, classes, lam):
    """AlexNet of lib/Frontend/AlexNet.cpp: conv-act-pool-bn twice, three
    conv-act, pool-bn, then dropout, flatten, fc-act, dropout, fc-act, fc."""
    layers, ch = [], in_ch
    for i, (out, k, s, p) in enumerate(convs):
        layers += [nn.Conv2d(ch, out, k, s, p), Blend(lam)]
        hw = (hw + 2 * p - k) // s + 1
        if i in (0, 1, 4):
            layers += [PoolBlend(pool[0], pool[1]), nn.BatchNorm2d(out)]
            hw = (hw - pool[0]) // pool[1] + 1
        ch = out
    return nn.Sequential(
        *layers,
        nn.Dropout(0.2), nn.Flatten(),
        nn.Linear(ch * hw * hw, hidden), Blend(lam), nn.Dropout(0.2),
        nn.Linear(hidden, hidden), Blend(lam),
        nn.Linear(hidden, classes))


class Fire(nn.Module):
    def __init__(self, inp, squeeze, expand, lam):
        super().__init__()
        self.squeeze = nn.Conv2d(inp, squeeze, 1)
        self.squeeze_act = Blend(lam)
        self.expand1x1 = nn.Conv2d(squeeze, expand, 1)
        self.expand1x1_act = Blend(lam)
        self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1)
        self.expand3x3_act = Blend(lam)

    def forward(self, x):
        x = self.squeeze_act(self.squeeze(x))
        return torch.cat([self.expand1x1_act(self.expand1x1(x)),
                          self.expand3x3_act(self.expand3x3(x))], 1)


def squeezenet1_0(in_ch, classes, lam):
    """torchvision's SqueezeNet 1.0 with blends and ceil-mode pool blends."""
    pool = lambda: PoolBlend(3, 2, ceil_mode=True)
    return nn.Sequential(
        nn.Conv2d(in_ch, 96, 7, 2), Blend(lam), pool(),
        Fire(96, 16, 64, lam), Fire(128, 16, 64, lam), Fire(128, 32, 128, lam),
        pool(),
        Fire(256, 32, 128, lam), Fire(256, 48, 192, lam),
        Fire(384, 48, 192, lam), Fire(384, 64, 256, lam),
        pool(),
        Fire(512, 64, 256, lam),
        nn.Dropout(0.5), nn.Conv2d(512, classes, 1), Blend(lam),
        nn.AdaptiveAvgPool2d(1), nn.Flatten())


def build(name, in_ch, hw, classes, lam):
    if name == "alexnet_small":
        return alexnet_family([(32, 3, 1, 1), (64, 3, 1, 1), (128, 3, 1, 1),
                               (128, 3, 1, 1), (64, 3, 1, 1)], (2, 2), 256,
                              in_ch, hw, classes, lam)
    if name == "alexnet":
        return alexnet_family([(64, 11, 4, 2), (192, 5, 1, 2), (384, 3, 1, 1),
                               (256, 3, 1, 1), (256, 3, 1, 1)], (3, 2), 4096,
                              in_ch, hw, classes, lam)
    if name == "squeezenet1_0":
        return squeezenet1_0(in_ch, classes, lam)
    raise SystemExit(f"unknown model {name}")


def load_images(directory, n, channels, size):
    """The first n training images, as hec's bench loads them: the whole IDX
    file to f32 in [0, 1], then a copy of the first n, resized bilinearly and
    repeated over the channels when asked, then normalised."""
    with gzip.open(f"{directory}/train-images-idx3-ubyte.gz") as f:
        raw = f.read()
    count, rows, cols = struct.unpack(">III", raw[4:16])
    images = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8)
    images = images.reshape(count, 1, rows, cols).to(torch.float32) / 255
    with gzip.open(f"{directory}/train-labels-idx1-ubyte.gz") as f:
        labels = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8)
    images, labels = images[:n].clone(), labels[:n].to(torch.int64)
    del raw
    if size != rows:
        images = F.interpolate(images, size=(size, size), mode="bilinear",
                               align_corners=False)
    if channels != 1:
        images = images.repeat(1, channels, 1, 1)
    return ((images - MEAN) / STD).contiguous(), labels


def train(model, images, labels, batch, warmup, steps, generator):
    """hec's training loop over warmup + steps batches of one shuffle; the
    seconds of the last `steps` (from the end of batch `warmup`)."""
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    order = torch.randperm(images.size(0), generator=generator)
    correct = 0
    start = time.perf_counter()
    for i in range(warmup + steps):
        index = order[i * batch:(i + 1) * batch]
        x, y = images.index_select(0, index), labels.index_select(0, index)
        optimiser.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.item()
        loss.backward()
        optimiser.step()
        correct += (logits.argmax(1) == y).sum().item()
        if i + 1 == warmup:
            start = time.perf_counter()
    return time.perf_counter() - start


def high_water_kb():
    with open("/proc/self/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="alexnet_small")
    p.add_argument("--lambda", dest="lam", type=float, default=0.5)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--torch-threads", dest="threads", type=int, default=2)
    p.add_argument("--image-size", type=int, default=28)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    n = max(a.warmup + a.steps, 1) * a.batch
    images, labels = load_images(a.data, n, a.channels, a.image_size)
    model = build(a.model, a.channels, a.image_size, a.classes, a.lam)
    generator = torch.Generator().manual_seed(a.seed)
    # The step's peak: from here on (data loaded, network built).
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    seconds = train(model, images, labels, a.batch, a.warmup, a.steps,
                    generator)
    print(json.dumps({
        "impl": "pytorch", "model": a.model, "lambda": a.lam,
        "batch": a.batch, "steps": a.steps, "threads": a.threads,
        "image": [a.channels, a.image_size, a.image_size],
        "seconds": seconds, "images_per_s": a.steps * a.batch / seconds,
        "step_peak_rss_kb": high_water_kb(),
        "torch": torch.__version__}))


if __name__ == "__main__":
    main()
