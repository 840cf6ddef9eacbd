// RUN: he-opt %s --depth-report | FileCheck %s

// Each polynomial reads the same input (level 0), so its out level is its
// cost. The function returns the concat of all of them.
// CHECK-LABEL: depth report for @polys
// x^2 exactly: one ciphertext multiplication.
// CHECK:      he.poly_act {{ *}}square          {{ *}}0     1     1
// Monic quadratic x^2 + 0.5x + 3 = x(x + 0.5) + 3: one level.
// CHECK-NEXT: he.poly_act {{ *}}monic           {{ *}}0     1     1
// General a x^2 + b x = x(a x + b): two levels.
// CHECK-NEXT: he.poly_act {{ *}}general         {{ *}}0     2     2
// a x^2 alone is not monic either: two levels.
// CHECK-NEXT: he.poly_act {{ *}}scaled_square   {{ *}}0     2     2
// b x: one scalar level; x + c: free; a constant: free.
// CHECK-NEXT: he.poly_act {{ *}}scaled          {{ *}}0     1     1
// CHECK-NEXT: he.poly_act {{ *}}shifted         {{ *}}0     0     0
// CHECK-NEXT: he.poly_act {{ *}}constant        {{ *}}0     0     0
// Trailing zeros of a frozen polynomial do not count: [0, 2, 0] is 2x.
// CHECK-NEXT: he.poly_act {{ *}}trailing        {{ *}}0     1     1
// A trainable [0, 1, 0] (the paper's start, a = 0) will learn its x^2
// coefficient: a general quadratic, two levels.
// CHECK-NEXT: he.poly_act {{ *}}trainable       {{ *}}0     2     2
// Degree 3: ceil(log2 3) + 1 = 3; monic degree 4: ceil(log2 4) = 2;
// degree 5: ceil(log2 5) + 1 = 4.
// CHECK-NEXT: he.poly_act {{ *}}cubic           {{ *}}0     3     3
// CHECK-NEXT: he.poly_act {{ *}}monic_quartic   {{ *}}0     2     2
// CHECK-NEXT: he.poly_act {{ *}}quintic         {{ *}}0     4     4
// CHECK-NEXT: he.concat   {{ *}}concat          {{ *}}4     0     4
// CHECK-NEXT: critical path: quintic (+4) -> concat (+0)
// CHECK-NEXT: total depth: 4
// Only trainable polynomials' coefficients are parameters: 3.
// CHECK-NEXT: trainable parameters: 3
func.func @polys(%x: tensor<?x1xf32>) -> tensor<?x12xf32> {
  %0 = he.poly_act %x coeffs [0.0, 0.0, 1.0] {name = "square"} : tensor<?x1xf32>
  %1 = he.poly_act %x coeffs [3.0, 0.5, 1.0] {name = "monic"} : tensor<?x1xf32>
  %2 = he.poly_act %x coeffs [0.0, 0.5, 0.1] {name = "general"} : tensor<?x1xf32>
  %3 = he.poly_act %x coeffs [0.0, 0.0, 0.1] {name = "scaled_square"} : tensor<?x1xf32>
  %4 = he.poly_act %x coeffs [0.0, 2.0] {name = "scaled"} : tensor<?x1xf32>
  %5 = he.poly_act %x coeffs [1.0, 1.0] {name = "shifted"} : tensor<?x1xf32>
  %6 = he.poly_act %x coeffs [1.0] {name = "constant"} : tensor<?x1xf32>
  %7 = he.poly_act %x coeffs [0.0, 2.0, 0.0] {name = "trailing"} : tensor<?x1xf32>
  %8 = he.poly_act %x coeffs [0.0, 1.0, 0.0] trainable {name = "trainable"} : tensor<?x1xf32>
  %9 = he.poly_act %x coeffs [0.0, 1.0, 0.0, 0.5] {name = "cubic"} : tensor<?x1xf32>
  %10 = he.poly_act %x coeffs [0.0, 1.0, 0.0, 0.5, 1.0] {name = "monic_quartic"} : tensor<?x1xf32>
  %11 = he.poly_act %x coeffs [0.0, 1.0, 0.0, 0.0, 0.0, 0.5] {name = "quintic"} : tensor<?x1xf32>
  %y = he.concat %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : (tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

// Monic against general on the same chain: x(x + 3) after a linear layer
// is 2 levels deep, x(2x + 3) 3.
// CHECK-LABEL: depth report for @monic_chain
// CHECK: total depth: 2
func.func @monic_chain(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = he.param "fc.weight" : tensor<2x2xf32>
  %y = he.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %z = he.poly_act %y coeffs [0.0, 3.0, 1.0] : tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}
// CHECK-LABEL: depth report for @general_chain
// CHECK: total depth: 3
func.func @general_chain(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = he.param "fc.weight" : tensor<2x2xf32>
  %y = he.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %z = he.poly_act %y coeffs [0.0, 3.0, 2.0] : tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}
