// RUN: he-opt %s --he-finalize-transition | FileCheck %s

// Mid-transition (lambda 0.3) the blend becomes its `to` side, which takes
// the layer's name, and the ReLU that only fed it is erased.
// CHECK-LABEL: func @mid_transition
// CHECK-NOT: he.relu
// CHECK-NOT: he.blend
// CHECK: %[[P:.*]] = he.poly_act %arg0 coeffs [0.0, 1.0, 0.5] trainable {name = "act1"}
// CHECK: return %[[P]]
func.func @mid_transition(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x {name = "act1.relu"} : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable {name = "act1.poly"} : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 0.3 {name = "act1"} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// A blend at lambda 0 (never trained towards its new side) ends the same
// way: the transition is over whatever lambda says.
// CHECK-LABEL: func @at_zero
// CHECK-NOT: he.max_pool2d
// CHECK-NOT: he.blend
// CHECK: %[[A:.*]] = he.avg_pool2d %arg0
// CHECK: return %[[A]]
func.func @at_zero(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %m = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %a = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %b = he.blend %m, %a lambda 0.0 : tensor<?x4x4x4xf32>
  return %b : tensor<?x4x4x4xf32>
}

// An old side with another user stays: only ops that fed nothing else go.
// CHECK-LABEL: func @shared_old_side
// CHECK: %[[R:.*]] = he.relu %arg0
// CHECK: %[[P:.*]] = he.poly_act
// CHECK-NOT: he.blend
// CHECK: he.add %[[P]], %[[R]]
func.func @shared_old_side(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 0.3 : tensor<?x4xf32>
  %s = he.add %b, %r : tensor<?x4xf32>, tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}
