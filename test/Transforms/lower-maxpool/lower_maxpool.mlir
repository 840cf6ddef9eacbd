// RUN: he-opt %s --he-lower-maxpool | FileCheck %s
// RUN: he-opt %s --he-lower-maxpool --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: he-opt %s --he-lower-maxpool=smooth=true | FileCheck %s --check-prefix=SMOOTH
// Running the smooth lowering twice must not nest transitions.
// RUN: he-opt %s --pass-pipeline='builtin.module(he-lower-maxpool{smooth=true},he-lower-maxpool{smooth=true})' | FileCheck %s --check-prefix=SMOOTH

// A named pool: the average pool takes its name, kernel and stride.
// CHECK-LABEL: func @named
// CHECK-NOT: he.max_pool2d
// CHECK: %[[AVG:.*]] = he.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, name = "pool1", stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
// CHECK: return %[[AVG]]
// The average counts the padding, as PyTorch's default does.
// GENERIC-LABEL: sym_name = "named"
// GENERIC: "he.avg_pool2d"(%{{.*}}) <{ceil_mode = false, count_include_pad = true, kernel = array<i64: 2, 2>, name = "pool1", padding = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}>
// In smooth mode the blend takes the name and starts at the max side.
// SMOOTH-LABEL: func @named
// SMOOTH: %[[MAX:.*]] = he.max_pool2d %arg0 {kernel = array<i64: 2, 2>, name = "pool1.max", stride = array<i64: 2, 2>}
// SMOOTH: %[[AVG:.*]] = he.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, name = "pool1.avg", stride = array<i64: 2, 2>}
// SMOOTH: %[[BLEND:.*]] = he.blend %[[MAX]], %[[AVG]] lambda 0.000000e+00 {name = "pool1"} : tensor<?x4x4x4xf32>
// SMOOTH-NOT: he.blend
// SMOOTH: return %[[BLEND]]
func.func @named(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %p = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  return %p : tensor<?x4x4x4xf32>
}

// Padding and ceil_mode carry over (AlexNet's 3/2 pools on odd maps).
// CHECK-LABEL: func @padded_ceil
// CHECK: he.avg_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : tensor<?x2x7x7xf32> -> tensor<?x2x4x4xf32>
// GENERIC-LABEL: sym_name = "padded_ceil"
// GENERIC: "he.avg_pool2d"(%{{.*}}) <{ceil_mode = true, count_include_pad = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}>
// An unnamed pool gives unnamed sides: a bare ".max" would name no layer.
// SMOOTH-LABEL: func @padded_ceil
// SMOOTH: %[[MAX:.*]] = he.max_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
// SMOOTH: %[[AVG:.*]] = he.avg_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
// SMOOTH: he.blend %[[MAX]], %[[AVG]] lambda 0.000000e+00 : tensor<?x2x4x4xf32>
func.func @padded_ceil(%x: tensor<?x2x7x7xf32>) -> tensor<?x2x4x4xf32> {
  %p = he.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true} : tensor<?x2x7x7xf32> -> tensor<?x2x4x4xf32>
  return %p : tensor<?x2x4x4xf32>
}

// Every user of the pool moves to the replacement (two users here).
// CHECK-LABEL: func @two_users
// CHECK: %[[AVG:.*]] = he.avg_pool2d
// CHECK: he.add %[[AVG]], %[[AVG]]
// SMOOTH-LABEL: func @two_users
// SMOOTH: %[[BLEND:.*]] = he.blend
// SMOOTH: he.add %[[BLEND]], %[[BLEND]]
func.func @two_users(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %p = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %s = he.add %p, %p : tensor<?x4x4x4xf32>, tensor<?x4x4x4xf32>
  return %s : tensor<?x4x4x4xf32>
}

// A pool already in transition is left alone by the smooth lowering.
// SMOOTH-LABEL: func @already_blended
// SMOOTH-COUNT-1: he.avg_pool2d
// SMOOTH-COUNT-1: he.blend
// SMOOTH-NOT: he.blend
// SMOOTH: return
func.func @already_blended(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %m = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %a = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %b = he.blend %m, %a lambda 0.5 : tensor<?x4x4x4xf32>
  return %b : tensor<?x4x4x4xf32>
}
