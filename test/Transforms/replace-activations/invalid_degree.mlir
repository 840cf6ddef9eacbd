// RUN: he-opt %s --he-replace-activations="method=poly degree=0" --verify-diagnostics --split-input-file
// RUN: not he-opt %s --he-replace-activations="method=poly degree=0" --split-input-file

// A degree below 1 is no activation at all.
// expected-error@+1 {{he-replace-activations expects option 'degree' >= 1, got 0}}
module {
  func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %r = he.relu %x : tensor<?x4xf32>
    return %r : tensor<?x4xf32>
  }
}

// -----

// The option is rejected even where there is no ReLU to replace.
// expected-error@+1 {{he-replace-activations expects option 'degree' >= 1, got 0}}
module {
  func.func @none(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
