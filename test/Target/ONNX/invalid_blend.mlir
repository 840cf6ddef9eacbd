// A blend strictly between its sides (mid-transition) is not a polynomial.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

func.func @blend(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.poly_act %x coeffs [0.0, 1.0] {name = "act1.lin"} : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 0.0, 1.0] {name = "act1.poly"} : tensor<?x4xf32>
  // expected-error@+1 {{'he.blend' op (layer act1) is a blend strictly between its sides (lambda = 0.3), not a polynomial; run he-finalize-transition}}
  %b = he.blend %r, %p lambda 0.3 {name = "act1"} : tensor<?x4xf32>
  %w = he.param "fc.weight" : tensor<4x4xf32> = dense<0.5>
  %y = he.linear %b, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
