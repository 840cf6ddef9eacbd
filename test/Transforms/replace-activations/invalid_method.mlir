// An unknown method is rejected while parsing the options, with the list of
// known methods.
// RUN: not he-opt %s --pass-pipeline='builtin.module(he-replace-activations{method=relu6})' 2>&1 | FileCheck %s
// RUN: not he-opt %s --he-replace-activations=method=Poly 2>&1 | FileCheck %s --check-prefix=CASE

// CHECK: unknown method 'relu6'; expected one of: square, approx-relu, poly, blend
// Method names are case-sensitive, as in every MLIR option.
// CASE: unknown method 'Poly'; expected one of: square, approx-relu, poly, blend
func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}
