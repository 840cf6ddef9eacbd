// RUN: he-opt %s | he-opt | FileCheck %s
// RUN: he-opt %s --mlir-print-op-generic | he-opt | FileCheck %s
// RUN: he-opt %s --emit-bytecode | he-opt | FileCheck %s

// CHECK-LABEL: func @params
func.func @params() -> (tensor<4xf32>, tensor<2x2xf32>, tensor<3xf32>) {
  // A parameter without a value: the runtime initialises it.
  // CHECK: he.param "fc.bias" : tensor<4xf32>
  %b = he.param "fc.bias" : tensor<4xf32>
  // A splat value and a buffer.
  // CHECK: he.param "bn.running_var" buffer : tensor<2x2xf32> = dense<1.000000e+00>
  %v = he.param "bn.running_var" buffer : tensor<2x2xf32> = dense<1.0>
  // A resource blob (4-byte alignment header, then three f32).
  // CHECK: he.param "w" : tensor<3xf32> = dense_resource<w>
  %w = he.param "w" : tensor<3xf32> = dense_resource<w>
  return %b, %v, %w : tensor<4xf32>, tensor<2x2xf32>, tensor<3xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040"
    }
  }
#-}
