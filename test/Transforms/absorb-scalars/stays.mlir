// RUN: he-opt %s --he-absorb-scalars --split-input-file | FileCheck %s

// Scalars that cannot reach a linear op stay where they are; the pass never
// fails.

// Nothing linear after the act: the output is returned.
// CHECK-LABEL: func @returned
// CHECK:      he.poly_act %arg0 coeffs [0.0, 0.5, 0.25]
func.func @returned(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  return %a : tensor<?x2x4x4xf32>
}

// -----

// A ReLU between the act and the conv stops the factor (the whole push is
// abandoned, so the conv weight is untouched).
// CHECK-LABEL: func @relu_in_between
// CHECK:      he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.000000e+00>
// CHECK:      he.poly_act %arg0 coeffs [0.0, 0.5, 0.25]
func.func @relu_in_between(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %c = he.conv2d %a, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %r = he.relu %a : tensor<?x2x4x4xf32>
  return %c, %r : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}

// -----

// With ceil_mode the last window hangs past the input and is divided by
// its clipped size: no constant divisor to move.
// CHECK-LABEL: func @ceil_mode_overhang
// CHECK:      he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.000000e+00>
// CHECK-NOT:  divisor_override
func.func @ceil_mode_overhang(%x: tensor<?x2x5x5xf32>) -> tensor<?x2x3x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.0>
  %p = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x2x5x5xf32> -> tensor<?x2x3x3xf32>
  %c = he.conv2d %p, %w : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
}

// -----

// Padding that the pool does not count makes border windows divide by less.
// CHECK-LABEL: func @uncounted_padding
// CHECK-NOT:  divisor_override
func.func @uncounted_padding(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.0>
  %p = he.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : tensor<?x2x4x4xf32> -> tensor<?x2x4x4xf32>
  %c = he.conv2d %p, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
}

// -----

// The next conv has no weights yet: nothing to absorb into.
// CHECK-LABEL: func @weight_without_value
// CHECK:      he.poly_act %arg0 coeffs [0.0, 0.5, 0.25]
func.func @weight_without_value(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %c = he.conv2d %a, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
}

// -----

// Two branches with different factors meet in an add: the first act's
// push fails there (the other branch carries none), and so does the
// second's; both stay.
// CHECK-LABEL: func @branch_mismatch
// CHECK:      he.poly_act %arg0 coeffs [0.0, 0.5, 0.25]
// CHECK:      he.poly_act %arg0 coeffs [0.0, 1.0, 2.0]
func.func @branch_mismatch(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %b = he.poly_act %x coeffs [0.0, 1.0, 2.0] : tensor<?x2x4x4xf32>
  %s = he.add %a, %b : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
  %c = he.conv2d %s, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
}

// -----

// A non-uniform factor (one concat input scaled, one not) cannot enter a
// polynomial.
// CHECK-LABEL: func @non_uniform_into_poly
// CHECK:      he.poly_act %arg0 coeffs [0.0, 0.5, 0.25]
func.func @non_uniform_into_poly(%x: tensor<?x2x4x4xf32>) -> tensor<?x4x4x4xf32> {
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %c = he.concat %a, %x : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x4x4x4xf32>
  %b = he.poly_act %c coeffs [0.0, 1.0, 1.0] : tensor<?x4x4x4xf32>
  return %b : tensor<?x4x4x4xf32>
}
