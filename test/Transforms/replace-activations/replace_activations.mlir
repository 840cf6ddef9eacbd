// Default method: the paper's trainable a*x^2 + b*x, a = 0, b = 1.
// RUN: he-opt %s --he-replace-activations | FileCheck %s --check-prefix=POLY
// RUN: he-opt %s --he-replace-activations="method=square" | FileCheck %s --check-prefix=SQUARE
// RUN: he-opt %s --he-replace-activations="method=approx-relu" | FileCheck %s --check-prefix=APPROX
// RUN: he-opt %s --he-replace-activations="method=poly a=0.25 b=0.5" | FileCheck %s --check-prefix=AB
// Degree 2 keeps [0, b, a] whatever the range: the fit is for other degrees.
// RUN: he-opt %s --he-replace-activations="method=poly range=1" | FileCheck %s --check-prefix=POLY
// RUN: he-opt %s --he-replace-activations="method=poly degree=4 range=1" | FileCheck %s --check-prefix=DEG4
// RUN: he-opt %s --he-replace-activations="method=poly degree=3" | FileCheck %s --check-prefix=DEG3
// RUN: he-opt %s --he-replace-activations="method=poly degree=1 range=4" | FileCheck %s --check-prefix=DEG1
// RUN: he-opt %s --he-replace-activations="method=blend" | FileCheck %s --check-prefix=BLEND
// Running the blend twice must not nest transitions.
// RUN: he-opt %s --pass-pipeline='builtin.module(he-replace-activations{method=blend},he-replace-activations{method=blend})' | FileCheck %s --check-prefix=BLEND
// RUN: he-opt %s --he-replace-activations="method=blend degree=4 range=1 a=7" | FileCheck %s --check-prefix=BLEND4

// A named ReLU: the polynomial takes the relu's input and its name.
// POLY-LABEL: func @named
// POLY-NOT: he.relu
// POLY: %[[P:.*]] = he.poly_act %arg0 coeffs [0.0, 1.0, 0.0] trainable {name = "act1"} : tensor<?x4xf32>
// POLY: return %[[P]]
// x^2, frozen.
// SQUARE-LABEL: func @named
// SQUARE: he.poly_act %arg0 coeffs [0.0, 0.0, 1.0] {name = "act1"}
// The fixed 0.00047x^2 + 0.5x, frozen.
// APPROX-LABEL: func @named
// APPROX: he.poly_act %arg0 coeffs [0.0, 0.5, 0.00047] {name = "act1"}
// AB-LABEL: func @named
// AB: he.poly_act %arg0 coeffs [0.0, 0.5, 0.25] trainable {name = "act1"}
// The least-squares fit of ReLU on [-1, 1]: 15/256 + x/2 + 105/128 x^2 - 105/256 x^4.
// DEG4-LABEL: func @named
// DEG4: he.poly_act %arg0 coeffs [0.058593{{[0-9]+}}, 0.5, 0.820312{{[0-9]+}}, 0.0, -0.410156{{[0-9]+}}] trainable {name = "act1"}
// On [-5, 5] the odd x^3 term of the fit is 0: it is the degree-2 fit
// 3/32·5 + x/2 + 15/32/5 x^2, with a trainable x^3 that starts at 0.
// DEG3-LABEL: func @named
// DEG3: he.poly_act %arg0 coeffs [0.46875, 0.5, 0.09375, 0.0] trainable {name = "act1"}
// Degree 1 on [-4, 4]: range/4 + x/2.
// DEG1-LABEL: func @named
// DEG1: he.poly_act %arg0 coeffs [1.0, 0.5] trainable {name = "act1"}
// The blend takes the name and starts at the ReLU side.
// BLEND-LABEL: func @named
// BLEND: %[[R:.*]] = he.relu %arg0 {name = "act1.relu"} : tensor<?x4xf32>
// BLEND: %[[P:.*]] = he.poly_act %arg0 coeffs [0.0, 1.0, 0.0] trainable {name = "act1.poly"}
// BLEND: %[[B:.*]] = he.blend %[[R]], %[[P]] lambda 0.000000e+00 {name = "act1"} : tensor<?x4xf32>
// BLEND-NOT: he.blend
// BLEND: return %[[B]]
// In blend mode, too, degree 4 starts from the fit (`a` applies to degree 2 only).
// BLEND4-LABEL: func @named
// BLEND4: he.poly_act %arg0 coeffs [0.058593{{[0-9]+}}, 0.5, 0.820312{{[0-9]+}}, 0.0, -0.410156{{[0-9]+}}] trainable {name = "act1.poly"}
func.func @named(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x {name = "act1"} : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// Unnamed ReLUs stay unnamed, and every one is replaced, whatever its users.
// POLY-LABEL: func @unnamed_chain
// POLY: %[[P1:.*]] = he.poly_act %arg0 coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
// POLY: %[[P2:.*]] = he.poly_act %[[P1]] coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
// POLY: he.add %[[P2]], %[[P1]]
// SQUARE-LABEL: func @unnamed_chain
// SQUARE-COUNT-2: he.poly_act {{.*}} coeffs [0.0, 0.0, 1.0] : tensor<?x4xf32>
// SQUARE-NOT: he.relu
// BLEND-LABEL: func @unnamed_chain
// BLEND: %[[R1:.*]] = he.relu %arg0 : tensor<?x4xf32>
// BLEND: %[[P1:.*]] = he.poly_act %arg0 coeffs [0.0, 1.0, 0.0] trainable : tensor<?x4xf32>
// BLEND: %[[B1:.*]] = he.blend %[[R1]], %[[P1]] lambda 0.000000e+00 : tensor<?x4xf32>
// BLEND: %[[R2:.*]] = he.relu %[[B1]] : tensor<?x4xf32>
// BLEND: %[[P2:.*]] = he.poly_act %[[B1]] coeffs
// BLEND: %[[B2:.*]] = he.blend %[[R2]], %[[P2]] lambda 0.000000e+00 : tensor<?x4xf32>
// BLEND: he.add %[[B2]], %[[B1]]
func.func @unnamed_chain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r1 = he.relu %x : tensor<?x4xf32>
  %r2 = he.relu %r1 : tensor<?x4xf32>
  %s = he.add %r2, %r1 : tensor<?x4xf32>, tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

// A ReLU already in transition (the `from` of a blend) keeps its blend.
// BLEND-LABEL: func @already_blended
// BLEND-COUNT-1: he.relu
// BLEND-COUNT-1: he.blend
// BLEND-NOT: he.blend
// BLEND: return
func.func @already_blended(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = he.relu %x : tensor<?x4xf32>
  %p = he.poly_act %x coeffs [0.0, 1.0, 0.5] trainable : tensor<?x4xf32>
  %b = he.blend %r, %p lambda 0.5 : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}
