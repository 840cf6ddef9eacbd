// Malformed range attributes are located errors, and the report fails.
// RUN: he-opt %s --split-input-file --verify-diagnostics --depth-report -o /dev/null

// A key missing.
func.func @missing(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.poly_act' op 'he.range' must be {min, max, abs_p9999} as finite f64 with min <= max and abs_p9999 >= 0}}
  %a = he.poly_act %x coeffs [0.0, 0.0, 1.0] {he.range = {min = 0.0, max = 1.0}} : tensor<?x4xf32>
  return %a : tensor<?x4xf32>
}

// -----

// min above max.
func.func @inverted(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.input_range' must be {min, max, abs_p9999}}}
  %a = he.poly_act %x coeffs [0.0, 0.0, 1.0] {he.range = {min = 0.0, max = 1.0, abs_p9999 = 1.0}, he.input_range = {min = 2.0, max = 1.0, abs_p9999 = 1.0}} : tensor<?x4xf32>
  return %a : tensor<?x4xf32>
}

// -----

// Not a dictionary.
func.func @not_dict(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.range' must be {min, max, abs_p9999}}}
  %a = he.poly_act %x coeffs [0.0, 0.0, 1.0] {he.range = 3.0 : f64} : tensor<?x4xf32>
  return %a : tensor<?x4xf32>
}
