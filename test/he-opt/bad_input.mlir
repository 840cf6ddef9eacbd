// he-opt reports bad input with a located diagnostic and a non-zero exit,
// never a crash. (Stdin and FIFOs are read to at most 1 GiB:
// lib/Frontend/BytecodeGuard.h, readToolInput.)
// RUN: split-file %s %t
// RUN: not he-opt %t/syntax.mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not he-opt %t/unknown_op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not he-opt %t/bad_shape.mlir 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not he-opt %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not he-opt %t/bad_attr.mlir 2>&1 | FileCheck %s --check-prefix=ATTR
// A device or a directory as input: refused by name (/dev/zero was read
// until memory ran out: "LLVM ERROR: out of memory", exit 134), by he-opt
// and he-translate alike.
// RUN: not he-opt /dev/zero 2>&1 | FileCheck %s --check-prefix=DEVICE
// RUN: not he-translate --he-to-onnx /dev/zero -o %t/x.onnx 2>&1 | FileCheck %s --check-prefix=DEVICE
// DEVICE: /dev/zero is a device or socket, not a network file
// RUN: not he-opt %t 2>&1 | FileCheck %s --check-prefix=DIR
// DIR: is a directory, not a network file

// A truncated op.
// SYNTAX: syntax.mlir:2:{{[0-9]+}}: error:
//--- syntax.mlir
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = he.relu %x :
}

// An op the dialect does not have.
// UNKNOWN: unknown_op.mlir:2:8: error: custom op 'he.sigmoid' is unknown
//--- unknown_op.mlir
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = he.sigmoid %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// A shape that does not follow from the op.
// SHAPE: bad_shape.mlir:3:8: error: 'he.linear' op expects result shape [?, 3], got [?, 4]
//--- bad_shape.mlir
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = he.param "fc.weight" : tensor<3x4xf32>
  %y = he.linear %x, %w : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// A file that does not exist.
// MISSING: cannot open input file '{{.*}}missing.mlir': No such file or directory
//--- bad_attr.mlir
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = he.poly_act %x coeffs [0.0, "one"] : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
// ATTR: bad_attr.mlir:2:{{[0-9]+}}: error:
