// Convolutions outside Conv with group 1, and weights without values.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

// A grouped (here depthwise) convolution.
func.func @grouped(%x: tensor<?x2x2x2xf32>) -> tensor<?x8xf32> {
  %w = he.param "dw.weight" : tensor<2x1x1x1xf32> = dense<0.5>
  // expected-error@+1 {{'he.conv2d' op (layer dw) is a grouped convolution (groups = 2); the HE ONNX subset has Conv with group 1 only}}
  %c = he.conv2d %x, %w {groups = 2, name = "dw"} : (tensor<?x2x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %f = he.flatten %c : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  return %f : tensor<?x8xf32>
}

// -----

// An untrained parameter: ONNX initializers need values.
func.func @no_value(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  // expected-error@+1 {{'he.param' op (parameter fc.weight) has no value: an ONNX model needs trained weights}}
  %w = he.param "fc.weight" : tensor<2x4xf32>
  %y = he.linear %x, %w {name = "fc"} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
