// The paper's AlexNet (test/Inputs/alexnet_paper.mlir, 3x224x224, 3 classes).

// As written (ReLU, max-pool): torchvision's AlexNet for 3 classes has
// 57,016,131 parameters; the three BNs add weight and bias, 2*(64+192+256)
// = 1024, and carry 1024 running statistics. No depth: 7 ReLUs, 3 max-pools.
// RUN: he-opt %inputs/alexnet_paper.mlir --depth-report | FileCheck %s --check-prefix=RELU
// RELU:      total depth: none: non-polynomial ops remain:
// RELU-NEXT:   he.relu relu1 at {{.*}}alexnet_paper.mlir:{{[0-9]+}}:{{[0-9]+}}
// RELU-NEXT:   he.max_pool2d pool1 at
// RELU-NEXT:   he.relu relu2 at
// RELU-NEXT:   he.max_pool2d pool2 at
// RELU-NEXT:   he.relu relu3 at
// RELU-NEXT:   he.relu relu4 at
// RELU-NEXT:   he.relu relu5 at
// RELU-NEXT:   he.max_pool2d pool3 at
// RELU-NEXT:   he.relu relu6 at
// RELU-NEXT:   he.relu relu7 at
// RELU-NEXT: trainable parameters: 57017155
// RELU-NEXT: buffers: 1024
// RUN: he-opt %inputs/alexnet_paper.mlir --depth-report-format=json | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=RELUJSON
// RELUJSON: total_depth null
// RELUJSON: parameters 57017155
// RELUJSON: buffers 1024

// Max-pool lowered to avg-pool, ReLU replaced by the trainable a*x^2 + b*x:
// 8 conv/linear (8) + 7 quadratics (14) + 3 pools (3) + 3 BNs (3) = 28.
// 60 + 28*40 + 60 = 1240 bits: more than any ring of the table holds.
// RUN: he-opt %inputs/alexnet_paper.mlir --pass-pipeline='builtin.module(func.func(he-lower-maxpool,he-replace-activations{method=poly}))' | he-opt --depth-report | FileCheck %s --check-prefix=POLY
// POLY:      critical path: conv1 (+1) -> relu1 (+2) -> pool1 (+1) -> bn1 (+1) -> conv2
// POLY:      total depth: 28
// POLY-NEXT: trainable parameters: 57017176
// POLY-NEXT: buffers: 1024
// POLY-NEXT: CKKS at 128-bit security: log_q = 60 + 28*40 + 60 = 1240
// POLY-NEXT:   does not fit: needs bootstrapping

// Batch-norm folded into the neighbouring convolutions and linear layer:
// 28 - 3 = 25.
// RUN: he-opt %inputs/alexnet_paper.mlir --pass-pipeline='builtin.module(func.func(he-lower-maxpool,he-replace-activations{method=poly},he-fold-batchnorm))' | he-opt --depth-report | FileCheck %s --check-prefix=FOLD
// FOLD: total depth: 25

// Scalars absorbed: each quadratic made monic (1 level instead of 2) and
// each pool a sum pool (0 instead of 1): 25 - 7 - 3 = 15. The polynomials
// start at a = 0.1 here, as after training: with the default a = 0 there
// is no leading coefficient to divide by. 60 + 15*40 + 60 = 720 <= 881:
// N = 32768 at 128 bits.
// RUN: he-opt %inputs/alexnet_paper.mlir --pass-pipeline='builtin.module(func.func(he-lower-maxpool,he-replace-activations{method=poly a=0.1},he-fold-batchnorm,he-absorb-scalars))' | he-opt --depth-report | FileCheck %s --check-prefix=ABSORB
// ABSORB:      critical path: conv1 (+1) -> relu1 (+1) -> pool1 (+0) -> conv2 (+1)
// ABSORB:      total depth: 15
// ABSORB:      CKKS at 128-bit security: log_q = 60 + 15*40 + 60 = 720
// ABSORB-NEXT:   ring dimension N = 32768 (max log_q 881), 16384 slots
// The same network before absorbing: 28, then 25.
// RUN: he-opt %inputs/alexnet_paper.mlir --pass-pipeline='builtin.module(func.func(he-lower-maxpool,he-replace-activations{method=poly a=0.1}))' | he-opt --depth-report | FileCheck %s --check-prefix=POLY
// RUN: he-opt %inputs/alexnet_paper.mlir --pass-pipeline='builtin.module(func.func(he-lower-maxpool,he-replace-activations{method=poly a=0.1},he-fold-batchnorm))' | he-opt --depth-report | FileCheck %s --check-prefix=FOLD
