// RUN: he-opt %s --he-fold-batchnorm --split-input-file --verify-diagnostics

// Running statistics without values: nothing to fold with.
func.func @no_running_var(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  %bw = he.param "bn1.weight" : tensor<2xf32> = dense<1.0>
  %bb = he.param "bn1.bias" : tensor<2xf32> = dense<0.0>
  %bm = he.param "bn1.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn1.running_var" buffer : tensor<2xf32>
  %c = he.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn1): running_var has no value}}
  %y = he.batch_norm %c, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  return %y : tensor<?x2x4x4xf32>
}

// -----

// Neither neighbour is linear: an activation before, a ReLU after.
func.func @no_linear_neighbour(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<1.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<0.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 1.0, 0.5] : tensor<?x2x4x4xf32>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn): its input comes from 'he.poly_act', and its result feeds 'he.relu', not the input of a he.conv2d or he.linear}}
  %y = he.batch_norm %a, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %r = he.relu %y : tensor<?x2x4x4xf32>
  return %r : tensor<?x2x4x4xf32>
}

// -----

// The conv after the BN has no weights yet (it was never trained).
func.func @next_weight_has_no_value(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<1.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<0.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<1.0>
  %w = he.param "conv2.weight" : tensor<2x2x1x1xf32>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn): its input is a block argument, and 'conv2.weight' has no value}}
  %y = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %y, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
}

// -----

// The conv before is also returned, and the BN's result too.
func.func @shared_producer_and_returned(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %w = he.param "conv1.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<1.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<0.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<1.0>
  %c = he.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn): the result of 'conv1' has other users, and its result feeds 'func.return', not the input of a he.conv2d or he.linear}}
  %y = he.batch_norm %c, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  return %c, %y : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}

// -----

// Channel 1 is scaled by 0 but shifted by 1: before a padded conv the shift
// cannot move ahead of the scale as t/s.
func.func @zero_scale_before_padding(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<[1.0, 0.0]>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<1.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<1.0>
  %w = he.param "conv2.weight" : tensor<2x2x3x3xf32> = dense<0.5>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn): its input is a block argument, and channel 1 has scale 0 and a nonzero shift, which the padding of 'conv2' would change}}
  %y = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %y, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
}

// -----

// A weight shared by two convs cannot be rescaled for one of them.
func.func @shared_weight(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<1.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<0.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<1.0>
  %w = he.param "tied.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  // expected-error @below {{cannot fold 'he.batch_norm' (layer bn): its input is a block argument, and the weight of 'tied' is not a he.param used only there}}
  %y = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %y, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %d = he.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c, %d : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}
