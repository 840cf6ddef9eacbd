// RUN: he-opt %s --allow-unregistered-dialect --he-verify-polynomial --verify-diagnostics
// RUN: not he-opt %s --allow-unregistered-dialect --he-verify-polynomial

// An op that does not declare whether it is a polynomial
// (he::PolynomialOpInterface), an op of another dialect, fails the check: it
// might be a ReLU. Ops that compute no value (func.return) need not declare
// it; the he ops around it are checked as usual.
func.func @foreign(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'foreign.max' op does not declare whether it is a polynomial (he::PolynomialOpInterface)}}
  %y = "foreign.max"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %p = he.poly_act %y coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}
