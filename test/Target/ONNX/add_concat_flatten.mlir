// he.add is an Add, of two branches or of a constant parameter that
// broadcasts (the per-channel shift he-fold-batchnorm leaves before a padded
// convolution); he.flatten is a Flatten with axis 1; he.concat a Concat.
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// CHECK: init bn.shift [2, 1, 1]
// CHECK: node Add(input, bn.shift) -> shift {}
// CHECK: node Add(shift, input) -> residual {}
// CHECK: node Concat(residual, input) -> cat {axis=1}
// CHECK: node Flatten(cat) -> flatten {axis=1}
// CHECK: node Gemm(flatten, fc.weight) -> logits {transB=1}
func.func @net(%x: tensor<?x2x2x2xf32>) -> tensor<?x2xf32> {
  %t = he.param "bn.shift" buffer : tensor<2x1x1xf32> = dense<[[[1.0]], [[-1.0]]]>
  %a = he.add %x, %t {name = "shift"} : tensor<?x2x2x2xf32>, tensor<2x1x1xf32>
  %r = he.add %a, %x {name = "residual"} : tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>
  %c = he.concat %r, %x {name = "cat"} : (tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>) -> tensor<?x4x2x2xf32>
  %f = he.flatten %c {name = "flatten"} : tensor<?x4x2x2xf32> -> tensor<?x16xf32>
  %w = he.param "fc.weight" : tensor<2x16xf32> = dense<0.5>
  %y = he.linear %f, %w {name = "fc"} : (tensor<?x16xf32>, tensor<2x16xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
