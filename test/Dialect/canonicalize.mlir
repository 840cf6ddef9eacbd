// Folds and canonicalisation patterns of the he ops.
// RUN: he-opt %s --canonicalize --split-input-file | FileCheck %s

// A blend at lambda 0 is its `from` side, at 1 its `to` side.
// CHECK-LABEL: func @blend_ends
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>)
// CHECK-NOT: he.blend
// CHECK: return %[[A]], %[[B]]
func.func @blend_ends(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = he.blend %a, %b lambda 0.0 : tensor<?x4xf32>
  %1 = he.blend %a, %b lambda 1.0 : tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// In between, it stays; blending a value with itself is that value.
// CHECK-LABEL: func @blend_middle
// CHECK-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>)
// CHECK: %[[M:.*]] = he.blend %[[A]], %[[B]] lambda 5.000000e-01
// CHECK: return %[[M]], %[[A]]
func.func @blend_middle(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = he.blend %a, %b lambda 0.5 : tensor<?x4xf32>
  %1 = he.blend %a, %a lambda 0.3 : tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// The identity polynomial folds away, with or without trailing zeros; a
// trainable one stays because training may move it.
// CHECK-LABEL: func @poly_identity
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[T:.*]] = he.poly_act %[[X]] coeffs [0.0, 1.0] trainable
// CHECK: return %[[X]], %[[X]], %[[T]]
func.func @poly_identity(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = he.poly_act %x coeffs [0.0, 1.0] : tensor<?x4xf32>
  %1 = he.poly_act %x coeffs [0.0, 1.0, 0.0, 0.0] : tensor<?x4xf32>
  %2 = he.poly_act %x coeffs [0.0, 1.0] trainable : tensor<?x4xf32>
  return %0, %1, %2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Trailing zero coefficients of a frozen polynomial are dropped so that its
// degree reads off the attribute; a constant term alone stays.
// CHECK-LABEL: func @poly_trim
// CHECK: he.poly_act %{{.*}} coeffs [1.0, 2.0, 3.0] :
// CHECK: he.poly_act %{{.*}} coeffs [0.5] :
// CHECK: he.poly_act %{{.*}} coeffs [0.0, 0.0, 1.0, 0.0] trainable
func.func @poly_trim(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = he.poly_act %x coeffs [1.0, 2.0, 3.0, 0.0, 0.0] : tensor<?x4xf32>
  %1 = he.poly_act %x coeffs [0.5, 0.0] : tensor<?x4xf32>
  %2 = he.poly_act %x coeffs [0.0, 0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
  return %0, %1, %2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
