// Ops that leave no node: he.dropout (the identity in inference) and a
// he.blend at lambda 0 or 1 (its selected side). A ReLU on a blend's unused
// side is no part of the model and is not refused.
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// CHECK-NOT: Dropout
// CHECK-NOT: Relu
// CHECK: node Mul(input, input) -> act1.poly {}
// CHECK-NEXT: node Gemm(act1.poly, fc.weight) -> logits {transB=1}
func.func @net(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %d = he.dropout %x {p = 0.5} : tensor<?x4xf32>
  %r = he.relu %d {name = "act1.relu"} : tensor<?x4xf32>
  %p = he.poly_act %d coeffs [0.0, 0.0, 1.0] {name = "act1.poly"} : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 1.0 {name = "act1"} : tensor<?x4xf32>
  %w = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
  %y = he.linear %b, %w {name = "fc"} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
