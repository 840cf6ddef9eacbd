// RUN: he-opt %s --he-replace-activations="method=poly degree=4 range=-1" --verify-diagnostics

// The least-squares fit needs a non-empty interval.
// expected-error@+1 {{he-replace-activations expects option 'range' > 0 and finite, got -1}}
module {
  func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %r = he.relu %x : tensor<?x4xf32>
    return %r : tensor<?x4xf32>
  }
}
