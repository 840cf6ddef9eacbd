// he.global_avg_pool2d is an AveragePool over the whole map (no
// GlobalAveragePool in the HE subset); a global sum pool is followed by a Mul
// by H*W.
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// CHECK: node AveragePool(input) -> gap {kernel_shape=[4, 3], strides=[1, 1], pads=[0, 0, 0, 0], count_include_pad=1}
// CHECK: node AveragePool(input) -> gsp {kernel_shape=[4, 3], strides=[1, 1], pads=[0, 0, 0, 0], count_include_pad=1}
// CHECK: node Constant() -> const {value=tensor[](12)}
// CHECK: node Mul(gsp, const) -> gsp_1 {}
// CHECK: node Add(gap, gsp_1) -> sum {}
// CHECK-NOT: GlobalAveragePool
func.func @net(%x: tensor<?x2x4x3xf32>) -> tensor<?x2xf32> {
  %a = he.global_avg_pool2d %x {name = "gap"} : tensor<?x2x4x3xf32> -> tensor<?x2x1x1xf32>
  %b = he.global_avg_pool2d %x {name = "gsp", divisor_override = 1 : i64} : tensor<?x2x4x3xf32> -> tensor<?x2x1x1xf32>
  %s = he.add %a, %b {name = "sum"} : tensor<?x2x1x1xf32>, tensor<?x2x1x1xf32>
  %f = he.flatten %s : tensor<?x2x1x1xf32> -> tensor<?x2xf32>
  return %f : tensor<?x2xf32>
}
