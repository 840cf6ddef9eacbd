// RUN: he-opt %s --he-replace-activations="method=poly degree=4 range=-1" --verify-diagnostics
// RUN: not he-opt %s --he-replace-activations="method=poly degree=4 range=1e400" 2>&1 | FileCheck %s --check-prefix=INF

// The least-squares fit needs a non-empty interval.
func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{he-replace-activations expects option 'range' > 0 and finite, got -1}}
  %r = he.relu %x : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// A range beyond double's: infinite, refused.
// INF: invalid_range.mlir:7:8: error: he-replace-activations expects option 'range' > 0 and finite, got inf
