// RUN: he-opt %s --he-verify-polynomial --verify-diagnostics --split-input-file
// The pass fails, not only reports.
// RUN: not he-opt %s --he-verify-polynomial --split-input-file

// A named ReLU is reported with its layer name.
func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.relu' op (layer conv1) is not a polynomial; run he-replace-activations}}
  %r = he.relu %x {name = "conv1"} : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// One error per offending op; an unnamed one is named by its mnemonic.
func.func @two_relus_and_a_pool(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  // expected-error@+1 {{'he.relu' op (layer relu) is not a polynomial; run he-replace-activations}}
  %r = he.relu %x : tensor<?x4x8x8xf32>
  // expected-error@+1 {{'he.max_pool2d' op (layer pool1) is not a polynomial; run he-lower-maxpool}}
  %m = he.max_pool2d %r {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  // expected-error@+1 {{'he.relu' op (layer act2) is not a polynomial}}
  %r2 = he.relu %m {name = "act2"} : tensor<?x4x4x4xf32>
  return %r2 : tensor<?x4x4x4xf32>
}

// -----

// A blend mid-transition is reported even between two polynomials: the
// transition has not ended.
func.func @mid_transition(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %sq = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable : tensor<?x4xf32>
  // expected-error@+1 {{'he.blend' op (layer act1) is not a polynomial; lambda 0.3 is strictly between 0 and 1: run he-finalize-transition}}
  %b = he.blend %sq, %p lambda 0.3 {name = "act1"} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

// At lambda 0 the blend is its ReLU side: both are reported.
func.func @blend_at_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.relu' op (layer act1.relu) is not a polynomial}}
  %r = he.relu %x {name = "act1.relu"} : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
  // expected-error@+1 {{'he.blend' op (layer act1) is not a polynomial; at lambda 0 it selects its non-polynomial 'from' side: run he-finalize-transition}}
  %b = he.blend %r, %p lambda 0.0 {name = "act1"} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

// At lambda 1 the blend is its `to` side; a max-pool there is reported.
func.func @blend_at_one(%x: tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32> {
  %a = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  // expected-error@+1 {{'he.max_pool2d' op (layer max_pool2d) is not a polynomial}}
  %m = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  // expected-error@+1 {{'he.blend' op (layer blend) is not a polynomial; at lambda 1 it selects its non-polynomial 'to' side}}
  %b = he.blend %a, %m lambda 1.0 : tensor<?x4x4x4xf32>
  return %b : tensor<?x4x4x4xf32>
}

// -----

// A blend at 0 whose `from` is a blend still in transition depends on it.
func.func @nested(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %sq = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable : tensor<?x4xf32>
  // expected-error@+1 {{'he.blend' op (layer inner) is not a polynomial; lambda 0.5 is strictly between 0 and 1}}
  %inner = he.blend %sq, %p lambda 0.5 {name = "inner"} : tensor<?x4xf32>
  // expected-error@+1 {{'he.blend' op (layer outer) is not a polynomial; at lambda 0 it selects its non-polynomial 'from' side}}
  %outer = he.blend %inner, %p lambda 0.0 {name = "outer"} : tensor<?x4xf32>
  return %outer : tensor<?x4xf32>
}
