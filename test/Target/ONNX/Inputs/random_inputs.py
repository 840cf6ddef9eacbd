"""Writes N random float32 images in [-1, 1) for MODEL.onnx's input shape.

Usage: random_inputs.py MODEL.onnx OUT.f32 N [SEED]
"""
import sys

import numpy as np
import onnx

model = onnx.load(sys.argv[1])
dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
n = int(sys.argv[3])
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
(rng.random([n] + dims, dtype=np.float32) * 2 - 1).astype("<f4").tofile(sys.argv[2])
