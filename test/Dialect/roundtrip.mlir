// Every he op in its custom form survives printing, the generic form and
// bytecode unchanged.
// RUN: he-opt %s | he-opt | FileCheck %s
// RUN: he-opt %s --mlir-print-op-generic | he-opt | FileCheck %s
// RUN: he-opt %s --emit-bytecode | he-opt | FileCheck %s

// Parameters: without a value (the runtime initialises it), a splat buffer,
// and a resource blob (4-byte alignment header, then three f32).
// CHECK-LABEL: func @params
// CHECK: he.param "fc.bias" : tensor<4xf32>
// CHECK: he.param "bn.running_var" buffer : tensor<2x2xf32> = dense<1.000000e+00>
// CHECK: he.param "w" : tensor<3xf32> = dense_resource<w>
func.func @params() -> (tensor<4xf32>, tensor<2x2xf32>, tensor<3xf32>) {
  %b = he.param "fc.bias" : tensor<4xf32>
  %v = he.param "bn.running_var" buffer : tensor<2x2xf32> = dense<1.0>
  %w = he.param "w" : tensor<3xf32> = dense_resource<w>
  return %b, %v, %w : tensor<4xf32>, tensor<2x2xf32>, tensor<3xf32>
}

// A conv block: conv (asymmetric padding, groups), batch-norm, pooling.
// CHECK-LABEL: func @conv_block
// CHECK: he.conv2d %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64, name = "conv1", padding = array<i64: 1, 0, 1, 2>, stride = array<i64: 2, 1>}
// CHECK: he.conv2d %{{.*}}, %{{.*}} : (tensor<?x8x9x9xf32>, tensor<8x8x1x1xf32>) -> tensor<?x8x9x9xf32>
// CHECK: he.batch_norm %{{.*}} {epsilon = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64}
// CHECK: he.max_pool2d %{{.*}} {ceil_mode = true, kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>}
// CHECK: he.avg_pool2d %{{.*}} {count_include_pad = false, divisor_override = 1 : i64, kernel = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
// CHECK: he.global_avg_pool2d %{{.*}} : tensor<?x8x9x9xf32> -> tensor<?x8x1x1xf32>
func.func @conv_block(%x: tensor<?x4x17x9xf32>) -> (tensor<?x8x4x4xf32>, tensor<?x8x5x5xf32>, tensor<?x8x1x1xf32>) {
  %w = he.param "conv1.weight" : tensor<8x2x3x3xf32>
  %b = he.param "conv1.bias" : tensor<8xf32>
  %c = he.conv2d %x, %w, %b {name = "conv1", stride = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 2>, groups = 2}
      : (tensor<?x4x17x9xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<?x8x9x9xf32>
  %w2 = he.param "conv2.weight" : tensor<8x8x1x1xf32>
  %c2 = he.conv2d %c, %w2 : (tensor<?x8x9x9xf32>, tensor<8x8x1x1xf32>) -> tensor<?x8x9x9xf32>
  %g = he.param "bn.weight" : tensor<8xf32>
  %s = he.param "bn.bias" : tensor<8xf32>
  %m = he.param "bn.running_mean" buffer : tensor<8xf32>
  %v = he.param "bn.running_var" buffer : tensor<8xf32>
  %n = he.batch_norm %c2, %g, %s, %m, %v {epsilon = 1.0e-3, momentum = 0.2} : tensor<?x8x9x9xf32>, tensor<8xf32>
  %p = he.max_pool2d %n {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x8x9x9xf32> -> tensor<?x8x4x4xf32>
  %a = he.avg_pool2d %n {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false, divisor_override = 1} : tensor<?x8x9x9xf32> -> tensor<?x8x5x5xf32>
  %gp = he.global_avg_pool2d %n : tensor<?x8x9x9xf32> -> tensor<?x8x1x1xf32>
  return %p, %a, %gp : tensor<?x8x4x4xf32>, tensor<?x8x5x5xf32>, tensor<?x8x1x1xf32>
}

// Activations: ReLU, a trainable and a frozen polynomial, and their blend.
// CHECK-LABEL: func @activations
// CHECK: he.relu %{{.*}} {name = "act1"} : tensor<?x8xf32>
// CHECK: he.poly_act %{{.*}} coeffs [0.0, 1.0, 0.0] trainable : tensor<?x8xf32>
// CHECK: he.poly_act %{{.*}} coeffs [0.0, 0.5, 0.00047] : tensor<?x8xf32>
// CHECK: he.blend %{{.*}}, %{{.*}} lambda 2.500000e-01 : tensor<?x8xf32>
func.func @activations(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %r = he.relu %x {name = "act1"} : tensor<?x8xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.0] trainable : tensor<?x8xf32>
  %q = he.poly_act %x coeffs [0.0, 0.5, 0.00047] : tensor<?x8xf32>
  %b = he.blend %r, %p lambda 0.25 : tensor<?x8xf32>
  return %b, %q : tensor<?x8xf32>, tensor<?x8xf32>
}

// Structure: a broadcast add of a per-channel constant, concat, flatten,
// dropout and a linear layer.
// CHECK-LABEL: func @structure
// CHECK: he.add %{{.*}}, %{{.*}} : tensor<?x2x3x3xf32>, tensor<2x1x1xf32>
// CHECK: he.concat %{{.*}}, %{{.*}} : (tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32>
// CHECK: he.flatten %{{.*}} : tensor<?x4x3x3xf32> -> tensor<?x36xf32>
// CHECK: he.dropout %{{.*}} {p = 2.000000e-01 : f64} : tensor<?x36xf32>
// CHECK: he.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x36xf32>, tensor<10x36xf32>, tensor<10xf32>) -> tensor<?x10xf32>
func.func @structure(%x: tensor<?x2x3x3xf32>) -> tensor<?x10xf32> {
  %t = he.param "shift" : tensor<2x1x1xf32>
  %a = he.add %x, %t : tensor<?x2x3x3xf32>, tensor<2x1x1xf32>
  %c = he.concat %a, %x : (tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32>
  %f = he.flatten %c : tensor<?x4x3x3xf32> -> tensor<?x36xf32>
  %d = he.dropout %f {p = 0.2} : tensor<?x36xf32>
  %w = he.param "fc.weight" : tensor<10x36xf32>
  %b = he.param "fc.bias" : tensor<10xf32>
  %y = he.linear %d, %w, %b : (tensor<?x36xf32>, tensor<10x36xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040"
    }
  }
#-}
