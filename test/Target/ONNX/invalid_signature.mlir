// Modules the export cannot give the contract's graph signature: one input
// [N, ...] named input, one output [N, classes] named logits.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

// Two functions: which one is the network?
// expected-error@+1 {{the ONNX export takes a module with one function of he ops, found 2}}
module {
  func.func @a(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    return %x : tensor<?x2xf32>
  }
  func.func @b(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    return %x : tensor<?x2xf32>
  }
}

// -----

// A dynamic dimension past the batch.
// expected-error@+1 {{the ONNX export needs one input [N, ...] with static dimensions past the batch, got '(tensor<?x?xf32>) -> tensor<?x2xf32>'}}
func.func @dynamic(%x: tensor<?x?xf32>) -> tensor<?x2xf32> {
  %w = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
  %y = he.linear %x, %w : (tensor<?x?xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Logits that are not [N, classes].
// expected-error@+1 {{the ONNX export needs one result [N, classes] with a static class count}}
func.func @rank4(%x: tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32> {
  %p = he.poly_act %x coeffs [0.0, 0.0, 1.0] : tensor<?x1x2x2xf32>
  return %p : tensor<?x1x2x2xf32>
}

// -----

// The network computes nothing: its result is its input.
func.func @identity(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %d = he.dropout %x : tensor<?x2xf32>
  // expected-error@+1 {{the ONNX export needs a result computed by the network, not its input or a parameter}}
  return %d : tensor<?x2xf32>
}

// -----

// A declaration without a body (it once crashed the export).
// expected-error@+1 {{the ONNX export needs a function with a body, got a declaration of @forward}}
func.func private @forward(tensor<?x1x8x8xf32>) -> tensor<?x3xf32>
