// he.poly_act's coefficients print with the shortest decimal that reads
// back to the same double (MLIR's default kept 7 digits), so text and
// bytecode of one model hold the same numbers.
// RUN: he-opt %s | FileCheck %s
// RUN: he-opt %s | he-opt | FileCheck %s
// RUN: he-opt %s --emit-bytecode | he-opt | FileCheck %s
// RUN: he-opt %s > %t.mlir && he-opt %t.mlir --emit-bytecode | he-opt > %t.bc.mlir && diff %t.mlir %t.bc.mlir

// CHECK-LABEL: func.func @coeffs
// CHECK: he.poly_act %arg0 coeffs [0.30000000000000004, 3.0e+38, -2.5e-08, 1.0, -0.0, 0.12345678901234566] trainable
func.func @coeffs(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = he.poly_act %x coeffs [0.30000000000000004, 3.0e+38, -2.5e-08, 1.0, -0.0, 0.12345678901234566] trainable : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
