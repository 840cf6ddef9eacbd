// he.avg_pool2d is an AveragePool with explicit kernel_shape, strides and
// pads. A sum pool (divisor_override = 1, what he-absorb-scalars makes) is an
// AveragePool counting the padding followed by a Mul by the kernel's area.
// RUN: he-translate --he-to-onnx %s -o %t.onnx
// RUN: %onnx_dump %t.onnx --no-metadata | FileCheck %s
// ONNX Runtime loads and runs it.
// RUN: %if onnxruntime %{ %onnx_random %t.onnx %t.in 3 && %onnx_run %t.onnx %t.in | FileCheck %s --check-prefix=ORT %}
// ORT: 2 {{[0-9]+}} {{[-0-9.e+ ]+$}}

// CHECK: checker ok
// An average pool with padding counted: ONNX's count_include_pad = 1.
// CHECK: node AveragePool(input) -> avg {kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=1}
// Without padding, counting it or not is the same: count_include_pad = 0,
// which also divides a ceil_mode window hanging past the input by what it
// covers, as PyTorch does.
// CHECK: node AveragePool(avg) -> ceil {kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0], count_include_pad=0, ceil_mode=1}
// The sum pool: the average times 4.
// CHECK: node AveragePool(ceil) -> sum {kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0], count_include_pad=1}
// CHECK: node Constant() -> const {value=tensor[](4)}
// CHECK: node Mul(sum, const) -> sum_1 {}
// A divisor_override of 2 over a 2x2 window: the average times 2.
// CHECK: node AveragePool(sum_1) -> half {kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 0, 0], count_include_pad=1}
// CHECK: node Constant() -> const_1 {value=tensor[](2)}
// CHECK: node Mul(half, const_1) -> half_1 {}
// CHECK: node Flatten(half_1)
func.func @net(%x: tensor<?x2x9x9xf32>) -> tensor<?x2xf32> {
  %a = he.avg_pool2d %x {name = "avg", kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x2x9x9xf32> -> tensor<?x2x9x9xf32>
  %b = he.avg_pool2d %a {name = "ceil", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x2x9x9xf32> -> tensor<?x2x5x5xf32>
  %c = he.avg_pool2d %b {name = "sum", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, divisor_override = 1 : i64} : tensor<?x2x5x5xf32> -> tensor<?x2x2x2xf32>
  %d = he.avg_pool2d %c {name = "half", kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, divisor_override = 2 : i64} : tensor<?x2x2x2xf32> -> tensor<?x2x1x1xf32>
  %f = he.flatten %d : tensor<?x2x1x1xf32> -> tensor<?x2xf32>
  return %f : tensor<?x2xf32>
}
