// he.conv2d is a Conv with group 1, its kernel_shape from the weight, its
// strides, and pads in the same [top, left, bottom, right] order; the bias
// is Conv's third input, absent when the op has none.
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[01]}} {{[-0-9.e+]+ [-0-9.e+]+$}}

// CHECK: checker ok
// CHECK: input input [N, 1, 8, 8]
// CHECK: output logits [N, 2]
// CHECK: init conv1.weight [3, 1, 3, 3]
// CHECK: init conv1.bias [3]
// CHECK: init conv2.weight [2, 3, 2, 2]
// CHECK: node Conv(input, conv1.weight, conv1.bias) -> conv1 {kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 2, 1], group=1}
// CHECK: node Conv(conv1, conv2.weight) -> conv2 {kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 0, 0], group=1}
// CHECK: node Flatten(conv2) -> flatten {axis=1}
func.func @net(%x: tensor<?x1x8x8xf32>) -> tensor<?x2xf32> {
  %w1 = he.param "conv1.weight" : tensor<3x1x3x3xf32> = dense<0.5>
  %b1 = he.param "conv1.bias" : tensor<3xf32> = dense<[0.1, 0.2, 0.3]>
  %c1 = he.conv2d %x, %w1, %b1 {name = "conv1", stride = array<i64: 2, 2>, padding = array<i64: 1, 0, 2, 1>} : (tensor<?x1x8x8xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<?x3x5x4xf32>
  %w2 = he.param "conv2.weight" : tensor<2x3x2x2xf32> = dense<1.0>
  %c2 = he.conv2d %c1, %w2 {name = "conv2"} : (tensor<?x3x5x4xf32>, tensor<2x3x2x2xf32>) -> tensor<?x2x4x3xf32>
  %f = he.flatten %c2 : tensor<?x2x4x3xf32> -> tensor<?x24xf32>
  %w3 = he.param "fc.weight" : tensor<2x24xf32> = dense<1.0>
  %y = he.linear %f, %w3 {name = "fc"} : (tensor<?x24xf32>, tensor<2x24xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
