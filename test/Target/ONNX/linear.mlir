// he.linear is a Gemm with transB = 1: the weight stays [out][in], the bias
// is Gemm's C (absent when the op has none).
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// CHECK: init fc1.weight [3, 4]
// CHECK: init fc1.bias [3]
// CHECK: init fc2.weight [2, 3]
// CHECK: node Gemm(input, fc1.weight, fc1.bias) -> fc1 {transB=1}
// CHECK: node Gemm(fc1, fc2.weight) -> logits {transB=1}
func.func @net(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w1 = he.param "fc1.weight" : tensor<3x4xf32> = dense<0.5>
  %b1 = he.param "fc1.bias" : tensor<3xf32> = dense<[0.1, 0.2, 0.3]>
  %h = he.linear %x, %w1, %b1 {name = "fc1"} : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %w2 = he.param "fc2.weight" : tensor<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
  %y = he.linear %h, %w2 {name = "fc2"} : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
