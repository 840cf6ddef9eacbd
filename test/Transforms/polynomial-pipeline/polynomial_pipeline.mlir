// The pipeline runs its five passes in order.
// RUN: he-opt %s --split-input-file --verify-diagnostics --he-polynomial-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: he-opt %s --split-input-file --he-polynomial-pipeline --verify-diagnostics | FileCheck %s

// ORDER: he-finalize-transition
// ORDER-SAME: canonicalize
// ORDER-SAME: he-fold-batchnorm
// ORDER-SAME: he-absorb-scalars
// ORDER-SAME: he-verify-polynomial

// A network mid-transition ends polynomial: the blend becomes its
// polynomial side, the ReLU goes, and the verifier is silent.
// CHECK-LABEL: func @transition
// CHECK-NOT: he.relu
// CHECK-NOT: he.blend
// CHECK: he.poly_act
// CHECK: return
func.func @transition(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x {name = "act1.relu"} : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable {name = "act1.poly"} : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 0.3 {name = "act1"} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

// A max-pool never lowered is still there at the end: the verifier names it.
func.func @unlowered(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %p = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x4x8x8xf32>
  // expected-error@+1 {{'he.max_pool2d' op (layer pool1) is not a polynomial; run he-lower-maxpool}}
  %m = he.max_pool2d %p {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  return %m : tensor<?x4x4x4xf32>
}
