// he.poly_act as scalar Mul/Add/Pow in the absorbed form hec emits (Horner's
// rule, no multiplication by 1, no addition of 0).
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// The monic quadratic he-absorb-scalars leaves: x^2 + 0.5x = x * (x + 0.5).
// CHECK: node Constant() -> const {value=tensor[](0.5)}
// CHECK: node Add(input, const) -> monic {}
// CHECK: node Mul(input, monic) -> monic_1 {}
// A general quadratic: 2x^2 + 3x + 1 = x * (2x + 3) + 1.
// CHECK: node Constant() -> const_1 {value=tensor[](2)}
// CHECK: node Mul(monic_1, const_1) -> general {}
// CHECK: node Constant() -> const_2 {value=tensor[](3)}
// CHECK: node Add(general, const_2) -> general_1 {}
// CHECK: node Mul(monic_1, general_1) -> general_2 {}
// CHECK: node Constant() -> const_3 {value=tensor[](1)}
// CHECK: node Add(general_2, const_3) -> general_3 {}
// x^2 alone (the square method) is x * x.
// CHECK: node Mul(general_3, general_3) -> square {}
// A lone power of degree 3 with a coefficient: Pow, then Mul.
// CHECK: node Constant() -> const_4 {value=tensor[](3)}
// CHECK: node Pow(square, const_4) -> cube {}
// CHECK: node Constant() -> const_5 {value=tensor[](0.25)}
// CHECK: node Mul(cube, const_5) -> cube_1 {}
// The identity (a trainable polynomial's trailing 0 dropped) leaves no node.
// CHECK-NOT: identity
// CHECK: node Gemm(cube_1, fc.weight) -> logits
func.func @net(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %a = he.poly_act %x coeffs [0.0, 0.5, 1.0] {name = "monic"} : tensor<?x4xf32>
  %b = he.poly_act %a coeffs [1.0, 3.0, 2.0] {name = "general"} : tensor<?x4xf32>
  %c = he.poly_act %b coeffs [0.0, 0.0, 1.0] {name = "square"} : tensor<?x4xf32>
  %d = he.poly_act %c coeffs [0.0, 0.0, 0.0, 0.25] {name = "cube"} : tensor<?x4xf32>
  %e = he.poly_act %d coeffs [0.0, 1.0, 0.0] trainable {name = "identity"} : tensor<?x4xf32>
  %w = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
  %y = he.linear %e, %w {name = "fc"} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
