// Non-polynomial activations have no HE-friendly ONNX form: a ReLU is
// refused, located and named, whether it feeds the result directly or
// through the selected side of a finished blend.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.relu' op (layer act1) is not a polynomial and has no HE-friendly ONNX form; run he-replace-activations}}
  %r = he.relu %x {name = "act1"} : tensor<?x4xf32>
  %w = he.param "fc.weight" : tensor<4x4xf32> = dense<0.5>
  %y = he.linear %r, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A blend at lambda 0 selects its ReLU side.
func.func @blend_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.relu' op (layer act1.relu) is not a polynomial}}
  %r = he.relu %x {name = "act1.relu"} : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 0.0, 1.0] {name = "act1.poly"} : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 0.0 {name = "act1"} : tensor<?x4xf32>
  %w = he.param "fc.weight" : tensor<4x4xf32> = dense<0.5>
  %y = he.linear %b, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
