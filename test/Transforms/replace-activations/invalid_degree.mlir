// RUN: he-opt %s --he-replace-activations="method=poly degree=0" --verify-diagnostics --split-input-file
// RUN: not he-opt %s --he-replace-activations="method=poly degree=0" --split-input-file

// A degree below 1 is no activation at all: the error is at the first
// he.relu the option concerns.
func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{he-replace-activations expects option 'degree' in [1, 32] (beyond it the least-squares fit of ReLU in monomial coefficients is lost to rounding), got 0}}
  %r = he.relu %x : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// The option is rejected even where there is no ReLU to replace: the error
// is at the first function.
// expected-error@+1 {{he-replace-activations expects option 'degree' in [1, 32] (beyond it the least-squares fit of ReLU in monomial coefficients is lost to rounding), got 0}}
func.func @none(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// Above degree 32 the fit of ReLU is lost to rounding (degree 50 once
// returned a "fit" off by 10^3; 2^31 exhausted memory): refused by name,
// the value as it was given, at the file's line (not <file>:0:0) and
// without the whole module printed after it.
// RUN: not he-opt %s --he-replace-activations="method=poly degree=33" --split-input-file 2>&1 | FileCheck %s --check-prefix=HIGH
// HIGH: invalid_degree.mlir:1 offset :8:8: error: he-replace-activations expects option 'degree' in [1, 32] (beyond it the least-squares fit of ReLU in monomial coefficients is lost to rounding), got 33
// RUN: not he-opt %s --he-replace-activations="method=poly degree=2147483647" 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: invalid_degree.mlir:8:8: error: he-replace-activations expects option 'degree' in [1, 32] {{.*}}, got 2147483647
// HUGE-NOT: see current operation
