"""Writes Fashion-MNIST-shaped training IDX files (28x28 grey images, labels
0..9) with N images and no test files. Usage: write_idx.py DIR N"""
import os
import struct
import sys

folder, n = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "train-images-idx3-ubyte"), "wb") as f:
    f.write(struct.pack(">IIII", 0x00000803, n, 28, 28))
    # Each class a different brightness, so a network can learn something.
    f.write(bytes((25 * (i % 10) + (j % 7)) % 256 for i in range(n) for j in range(28 * 28)))
with open(os.path.join(folder, "train-labels-idx1-ubyte"), "wb") as f:
    f.write(struct.pack(">II", 0x00000801, n))
    f.write(bytes(i % 10 for i in range(n)))
