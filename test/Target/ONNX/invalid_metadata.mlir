// Module attributes of the wrong form for the metadata (docs/onnx.md).
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

// One class name per logit.
// expected-error@+1 {{'he.class_names' must be an array of 2 strings (one per class), got ["a", "b", "c"]}}
module attributes {he.class_names = ["a", "b", "c"]} {
  func.func @names(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
    %w = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
    %y = he.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
    return %y : tensor<?x2xf32>
  }
}

// -----

// The mean holds floats, one per input channel.
// expected-error@+1 {{'he.input_mean' must be an array of 1 floats (one per input channel), got ["x"]}}
module attributes {he.input_mean = ["x"]} {
  func.func @mean(%x: tensor<?x1x2x2xf32>) -> tensor<?x2xf32> {
    %f = he.flatten %x : tensor<?x1x2x2xf32> -> tensor<?x4xf32>
    %w = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
    %y = he.linear %f, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
    return %y : tensor<?x2xf32>
  }
}
