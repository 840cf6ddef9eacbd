// RUN: he-opt %s --he-absorb-scalars --split-input-file | FileCheck %s

// The paper's activation 0.25x^2 + 0.5x becomes monic, x^2 + 2x = x(x + 2),
// and the next conv takes the 0.25.
// CHECK-LABEL: func @poly_into_conv
// CHECK:      %[[W:.*]] = he.param "conv.weight" : tensor<3x2x3x3xf32> = dense<2.500000e-01>
// CHECK:      %[[A:.*]] = he.poly_act %{{.*}} coeffs [0.0, 2.0, 1.0] trainable
// CHECK:      he.conv2d %[[A]], %[[W]]
func.func @poly_into_conv(%x: tensor<?x2x4x4xf32>) -> tensor<?x3x2x2xf32> {
  %w = he.param "conv.weight" : tensor<3x2x3x3xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] trainable : tensor<?x2x4x4xf32>
  %c = he.conv2d %a, %w : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x2x2xf32>
  return %c : tensor<?x3x2x2xf32>
}

// -----

// a = 0: 0.5x is the identity once 0.5 is pushed, and is erased.
// CHECK-LABEL: func @linear_poly_is_erased
// CHECK:      %[[W:.*]] = he.param "fc.weight" : tensor<2x3xf32> = dense<5.000000e-01>
// CHECK-NOT:  he.poly_act
// CHECK:      he.linear %arg0, %[[W]]
func.func @linear_poly_is_erased(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = he.param "fc.weight" : tensor<2x3xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 0.5] : tensor<?x3xf32>
  %l = he.linear %a, %w : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  return %l : tensor<?x2xf32>
}

// -----

// The chain act -> pool -> BN shift (as he-fold-batchnorm leaves it before
// a padded conv) -> padded conv: the act gives 0.5, the pool 1/4; the shift
// becomes 1 / 0.5 / 0.25 = 8 and the conv weight 1 * 0.5 * 0.25 = 0.125.
// CHECK-LABEL: func @act_pool_shift_conv
// CHECK-DAG:  %[[S:.*]] = he.param "bn.shift" buffer : tensor<2x1x1xf32> = dense<8.000000e+00>
// CHECK-DAG:  %[[W:.*]] = he.param "conv.weight" : tensor<3x2x3x3xf32> = dense<1.250000e-01>
// CHECK:      %[[A:.*]] = he.poly_act %{{.*}} coeffs [0.0, 2.0, 1.0]
// CHECK:      %[[P:.*]] = he.avg_pool2d %[[A]] {divisor_override = 1 : i64
// CHECK:      %[[T:.*]] = he.add %[[P]], %[[S]]
// CHECK:      he.conv2d %[[T]], %[[W]]
func.func @act_pool_shift_conv(%x: tensor<?x2x8x8xf32>) -> tensor<?x3x4x4xf32> {
  %s = he.param "bn.shift" buffer : tensor<2x1x1xf32> = dense<1.0>
  %w = he.param "conv.weight" : tensor<3x2x3x3xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 1.0, 0.5] : tensor<?x2x8x8xf32>
  %p = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x8x8xf32> -> tensor<?x2x4x4xf32>
  %t = he.add %p, %s : tensor<?x2x4x4xf32>, tensor<2x1x1xf32>
  %c = he.conv2d %t, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x4x4xf32>
  return %c : tensor<?x3x4x4xf32>
}

// -----

// A global pool becomes a sum; its 1/(3*3) crosses the flatten and a
// dropout into the linear.
// CHECK-LABEL: func @global_pool_flatten_linear
// CHECK:      he.param "fc.weight" : tensor<4x2xf32> = dense<5.000000e-01>
// CHECK:      he.global_avg_pool2d %{{.*}} {divisor_override = 1 : i64}
func.func @global_pool_flatten_linear(%x: tensor<?x2x3x3xf32>) -> tensor<?x4xf32> {
  %w = he.param "fc.weight" : tensor<4x2xf32> = dense<4.5>
  %g = he.global_avg_pool2d %x : tensor<?x2x3x3xf32> -> tensor<?x2x1x1xf32>
  %f = he.flatten %g : tensor<?x2x1x1xf32> -> tensor<?x2xf32>
  %d = he.dropout %f : tensor<?x2xf32>
  %l = he.linear %d, %w : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
  return %l : tensor<?x4xf32>
}

// -----

// A fire module: the squeeze act feeds both expand convs; both expand acts
// (leading coefficient 0.5 each) cross the concat into the next conv.
// CHECK-LABEL: func @fire_module
// CHECK-DAG:  he.param "e1.weight" : tensor<3x2x1x1xf32> = dense<2.500000e-01>
// CHECK-DAG:  he.param "e3.weight" : tensor<2x2x3x3xf32> = dense<2.500000e-01>
// CHECK-DAG:  he.param "next.weight" : tensor<4x5x1x1xf32> = dense<5.000000e-01>
// CHECK:      %[[S:.*]] = he.poly_act %arg0 coeffs [0.0, 4.0, 1.0]
// CHECK:      he.conv2d %[[S]]
// CHECK:      he.conv2d %[[S]]
// CHECK:      he.poly_act %{{.*}} coeffs [0.0, 2.0, 1.0]
// CHECK:      he.poly_act %{{.*}} coeffs [0.0, 2.0, 1.0]
func.func @fire_module(%x: tensor<?x2x5x5xf32>) -> tensor<?x4x5x5xf32> {
  %w1 = he.param "e1.weight" : tensor<3x2x1x1xf32> = dense<1.0>
  %w3 = he.param "e3.weight" : tensor<2x2x3x3xf32> = dense<1.0>
  %wn = he.param "next.weight" : tensor<4x5x1x1xf32> = dense<1.0>
  %s = he.poly_act %x coeffs [0.0, 1.0, 0.25] : tensor<?x2x5x5xf32>
  %e1 = he.conv2d %s, %w1 : (tensor<?x2x5x5xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x5x5xf32>
  %e3 = he.conv2d %s, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x5x5xf32>
  %a1 = he.poly_act %e1 coeffs [0.0, 1.0, 0.5] : tensor<?x3x5x5xf32>
  %a3 = he.poly_act %e3 coeffs [0.0, 1.0, 0.5] : tensor<?x2x5x5xf32>
  %cat = he.concat %a1, %a3 : (tensor<?x3x5x5xf32>, tensor<?x2x5x5xf32>) -> tensor<?x5x5x5xf32>
  %c = he.conv2d %cat, %wn : (tensor<?x5x5x5xf32>, tensor<4x5x1x1xf32>) -> tensor<?x4x5x5xf32>
  return %c : tensor<?x4x5x5xf32>
}

// -----

// A uniform factor enters a following polynomial: p(0.5x) for
// p = x + x^2 is 0.5x + 0.25x^2, which then becomes monic in turn.
// CHECK-LABEL: func @poly_into_poly
// CHECK:      he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<2.500000e-01>
// CHECK:      he.poly_act %arg0 coeffs [0.0, 2.0, 1.0]
// CHECK:      he.poly_act %{{.*}} coeffs [0.0, 2.0, 1.0]
func.func @poly_into_poly(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<1.0>
  %a = he.poly_act %x coeffs [0.0, 1.0, 0.5] : tensor<?x2x3x3xf32>
  %b = he.poly_act %a coeffs [0.0, 1.0, 1.0] : tensor<?x2x3x3xf32>
  %c = he.conv2d %b, %w : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
}
