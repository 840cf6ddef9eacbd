// RUN: he-opt %s --he-verify-polynomial | FileCheck %s

// A polynomial-only network passes unchanged and silently.
// CHECK-LABEL: func @polynomial
// CHECK: he.poly_act
// CHECK: he.avg_pool2d
// CHECK: he.global_avg_pool2d
func.func @polynomial(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x1x1xf32> {
  %p = he.poly_act %x coeffs [0.0, 0.5, 0.1] trainable {name = "act1"} : tensor<?x4x8x8xf32>
  %a = he.avg_pool2d %p {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %g = he.global_avg_pool2d %a : tensor<?x4x4x4xf32> -> tensor<?x4x1x1xf32>
  return %g : tensor<?x4x1x1xf32>
}

// A blend at either end is a polynomial when the side it selects is one.
// CHECK-LABEL: func @settled_blends
// CHECK-COUNT-3: he.blend
func.func @settled_blends(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %sq = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable : tensor<?x4xf32>
  // lambda 0 selects the polynomial `from`.
  %b0 = he.blend %sq, %p lambda 0.0 : tensor<?x4xf32>
  // lambda 1 selects the polynomial `to`.
  %b1 = he.blend %b0, %p lambda 1.0 : tensor<?x4xf32>
  // lambda 0 selecting a settled blend is settled too.
  %b2 = he.blend %b1, %sq lambda 0.0 : tensor<?x4xf32>
  return %b2 : tensor<?x4xf32>
}
