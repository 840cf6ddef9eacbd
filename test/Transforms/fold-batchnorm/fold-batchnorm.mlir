// RUN: he-opt %s --he-fold-batchnorm --split-input-file | FileCheck %s

// Every batch-norm below has epsilon = 1 and running_var = 3, so
// s = weight / 2 = 2 and t = bias - running_mean * s = 3 - 0.5 * 2 = 2.

// Backward: a conv used only by the BN takes s per output channel into its
// weights and s*b + t into its bias; the BN and its params disappear.
// CHECK-LABEL: func @backward_conv
// CHECK-DAG:  %[[W:.*]] = he.param "conv1.weight" : tensor<4x3x3x3xf32> = dense<1.000000e+00>
// CHECK-DAG:  %[[B:.*]] = he.param "conv1.bias" : tensor<4xf32> = dense<2.500000e+00>
// CHECK:      %[[C:.*]] = he.conv2d %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT:  he.batch_norm
// CHECK-NOT:  "bn1.
// CHECK:      return %[[C]]
func.func @backward_conv(%x: tensor<?x3x8x8xf32>) -> tensor<?x4x8x8xf32> {
  %w = he.param "conv1.weight" : tensor<4x3x3x3xf32> = dense<0.5>
  %b = he.param "conv1.bias" : tensor<4xf32> = dense<0.25>
  %bw = he.param "bn1.weight" : tensor<4xf32> = dense<4.0>
  %bb = he.param "bn1.bias" : tensor<4xf32> = dense<3.0>
  %bm = he.param "bn1.running_mean" buffer : tensor<4xf32> = dense<0.5>
  %bv = he.param "bn1.running_var" buffer : tensor<4xf32> = dense<3.0>
  %c = he.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %y = he.batch_norm %c, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x4x8x8xf32>, tensor<4xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

// Backward into a linear without bias: the bias is created, holding t.
// CHECK-LABEL: func @backward_linear_creates_bias
// CHECK-DAG:  %[[W:.*]] = he.param "fc.weight" : tensor<3x5xf32> = dense<1.000000e+00>
// CHECK-DAG:  %[[B:.*]] = he.param "fc.bias" : tensor<3xf32> = dense<2.000000e+00>
// CHECK:      he.linear %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT:  he.batch_norm
func.func @backward_linear_creates_bias(%x: tensor<?x5xf32>) -> tensor<?x3xf32> {
  %w = he.param "fc.weight" : tensor<3x5xf32> = dense<0.5>
  %bw = he.param "bn.weight" : tensor<3xf32> = dense<4.0>
  %bb = he.param "bn.bias" : tensor<3xf32> = dense<3.0>
  %bm = he.param "bn.running_mean" buffer : tensor<3xf32> = dense<0.5>
  %bv = he.param "bn.running_var" buffer : tensor<3xf32> = dense<3.0>
  %l = he.linear %x, %w : (tensor<?x5xf32>, tensor<3x5xf32>) -> tensor<?x3xf32>
  %y = he.batch_norm %l, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x3xf32>, tensor<3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// The paper's AlexNet order (act -> pool -> BN -> padded conv): forward.
// The conv's input channels take s; the shift stays as a free constant add
// of t/s = 1 before the conv, so that the padded border still reads zeros.
// CHECK-LABEL: func @forward_padded_conv_keeps_shift
// CHECK-DAG:  %[[W:.*]] = he.param "conv2.weight" : tensor<3x2x3x3xf32> = dense<1.000000e+00>
// CHECK-DAG:  %[[B:.*]] = he.param "conv2.bias" : tensor<3xf32> = dense<2.500000e-01>
// CHECK:      %[[P:.*]] = he.avg_pool2d
// CHECK:      %[[S:.*]] = he.param "bn.shift" buffer : tensor<2x1x1xf32> = dense<1.000000e+00>
// CHECK:      %[[A:.*]] = he.add %[[P]], %[[S]] {name = "bn.shift"} : tensor<?x2x4x4xf32>, tensor<2x1x1xf32>
// CHECK:      he.conv2d %[[A]], %[[W]], %[[B]]
// CHECK-NOT:  he.batch_norm
func.func @forward_padded_conv_keeps_shift(%x: tensor<?x2x8x8xf32>) -> tensor<?x3x4x4xf32> {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<4.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<3.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.5>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<3.0>
  %w = he.param "conv2.weight" : tensor<3x2x3x3xf32> = dense<0.5>
  %b = he.param "conv2.bias" : tensor<3xf32> = dense<0.25>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x8x8xf32>
  %p = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x8x8xf32> -> tensor<?x2x4x4xf32>
  %n = he.batch_norm %p, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %n, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  return %c : tensor<?x3x4x4xf32>
}

// -----

// Forward into an unpadded conv: the shift folds into its bias,
// 0.25 + sum(W * t) = 0.25 + 0.5 * 2 * 9 * 2 = 18.25; no add.
// CHECK-LABEL: func @forward_unpadded_conv_folds_shift
// CHECK-DAG:  %[[W:.*]] = he.param "conv2.weight" : tensor<3x2x3x3xf32> = dense<1.000000e+00>
// CHECK-DAG:  %[[B:.*]] = he.param "conv2.bias" : tensor<3xf32> = dense<1.825000e+01>
// CHECK-NOT:  he.add
// CHECK:      he.conv2d %{{.*}}, %[[W]], %[[B]]
func.func @forward_unpadded_conv_folds_shift(%x: tensor<?x2x4x4xf32>) -> tensor<?x3x2x2xf32> {
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<4.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<3.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.5>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<3.0>
  %w = he.param "conv2.weight" : tensor<3x2x3x3xf32> = dense<0.5>
  %b = he.param "conv2.bias" : tensor<3xf32> = dense<0.25>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %n = he.batch_norm %a, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %n, %w, %b : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<?x3x2x2xf32>
  return %c : tensor<?x3x2x2xf32>
}

// -----

// AlexNet's classifier: BN -> dropout -> flatten -> linear. Each channel's
// s and t cover its 2x2 = 4 features; a bias is created:
// sum(W * t) = 0.5 * 12 * 2 = 12.
// CHECK-LABEL: func @forward_through_flatten
// CHECK-DAG:  %[[W:.*]] = he.param "fc.weight" : tensor<5x12xf32> = dense<1.000000e+00>
// CHECK-DAG:  %[[B:.*]] = he.param "fc.bias" : tensor<5xf32> = dense<1.200000e+01>
// CHECK:      %[[D:.*]] = he.dropout %{{.*}}
// CHECK:      %[[F:.*]] = he.flatten %[[D]]
// CHECK:      he.linear %[[F]], %[[W]], %[[B]]
func.func @forward_through_flatten(%x: tensor<?x3x2x2xf32>) -> tensor<?x5xf32> {
  %bw = he.param "bn.weight" : tensor<3xf32> = dense<4.0>
  %bb = he.param "bn.bias" : tensor<3xf32> = dense<3.0>
  %bm = he.param "bn.running_mean" buffer : tensor<3xf32> = dense<0.5>
  %bv = he.param "bn.running_var" buffer : tensor<3xf32> = dense<3.0>
  %w = he.param "fc.weight" : tensor<5x12xf32> = dense<0.5>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x3x2x2xf32>
  %n = he.batch_norm %a, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x3x2x2xf32>, tensor<3xf32>
  %d = he.dropout %n {p = 0.2 : f64} : tensor<?x3x2x2xf32>
  %f = he.flatten %d : tensor<?x3x2x2xf32> -> tensor<?x12xf32>
  %l = he.linear %f, %w : (tensor<?x12xf32>, tensor<5x12xf32>) -> tensor<?x5xf32>
  return %l : tensor<?x5xf32>
}

// -----

// A conv whose result has another user cannot take the BN backward; the BN
// folds forward into the next conv instead.
// CHECK-LABEL: func @shared_producer_folds_forward
// CHECK-DAG:  he.param "conv1.weight" : tensor<2x2x1x1xf32> = dense<5.000000e-01>
// CHECK-DAG:  he.param "conv2.weight" : tensor<2x2x1x1xf32> = dense<1.000000e+00>
// CHECK-DAG:  he.param "conv2.bias" : tensor<2xf32> = dense<2.000000e+00>
// CHECK-NOT:  he.batch_norm
func.func @shared_producer_folds_forward(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %w1 = he.param "conv1.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  %w2 = he.param "conv2.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  %bw = he.param "bn.weight" : tensor<2xf32> = dense<4.0>
  %bb = he.param "bn.bias" : tensor<2xf32> = dense<3.0>
  %bm = he.param "bn.running_mean" buffer : tensor<2xf32> = dense<0.5>
  %bv = he.param "bn.running_var" buffer : tensor<2xf32> = dense<3.0>
  %c1 = he.conv2d %x, %w1 : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %n = he.batch_norm %c1, %bw, %bb, %bm, %bv {epsilon = 1.0 : f64} : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c2 = he.conv2d %n, %w2 : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c1, %c2 : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}
