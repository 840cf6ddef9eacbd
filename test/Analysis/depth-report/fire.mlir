// RUN: he-opt %s --depth-report | FileCheck %s

// A SqueezeNet fire module: squeeze 1x1 conv -> x^2 -> two expand branches
// (1x1 conv -> monic poly, 1 level; 3x3 conv -> general poly, 2 levels) ->
// concat (free, at the max of its inputs). Squeeze: 0 -> 1 -> 2. Branch 1x1
// ends at 2 + 1 + 1 = 4, branch 3x3 at 2 + 1 + 2 = 5: depth 5 through 3x3.
// Parameters: squeeze 2*4 + 2 = 10, e1 4*2 + 4 = 12, e3 4*2*9 + 4 = 76,
// trainable e3 poly 3 coefficients: 101.
// CHECK-LABEL: depth report for @fire
// CHECK:       he.conv2d     {{ *}}fire2.squeeze      {{ *}}0     1     1
// CHECK-NEXT:  he.poly_act   {{ *}}fire2.act          {{ *}}1     1     2
// CHECK-NEXT:  he.conv2d     {{ *}}fire2.expand1x1    {{ *}}2     1     3
// CHECK-NEXT:  he.poly_act   {{ *}}fire2.act1x1       {{ *}}3     1     4
// CHECK-NEXT:  he.conv2d     {{ *}}fire2.expand3x3    {{ *}}2     1     3
// CHECK-NEXT:  he.poly_act   {{ *}}fire2.act3x3       {{ *}}3     2     5
// CHECK-NEXT:  he.concat     {{ *}}fire2.cat          {{ *}}5     0     5
// CHECK-NEXT: critical path: fire2.squeeze (+1) -> fire2.act (+1) -> fire2.expand3x3 (+1) -> fire2.act3x3 (+2) -> fire2.cat (+0)
// CHECK-NEXT: total depth: 5
// CHECK-NEXT: trainable parameters: 101
func.func @fire(%x: tensor<?x4x8x8xf32>) -> tensor<?x8x8x8xf32> {
  %sw = he.param "fire2.squeeze.weight" : tensor<2x4x1x1xf32>
  %sb = he.param "fire2.squeeze.bias" : tensor<2xf32>
  %e1w = he.param "fire2.expand1x1.weight" : tensor<4x2x1x1xf32>
  %e1b = he.param "fire2.expand1x1.bias" : tensor<4xf32>
  %e3w = he.param "fire2.expand3x3.weight" : tensor<4x2x3x3xf32>
  %e3b = he.param "fire2.expand3x3.bias" : tensor<4xf32>
  %s = he.conv2d %x, %sw, %sb : (tensor<?x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<?x2x8x8xf32>
  %sa = he.poly_act %s coeffs [0.0, 0.0, 1.0] {name = "fire2.act"} : tensor<?x2x8x8xf32>
  %e1 = he.conv2d %sa, %e1w, %e1b : (tensor<?x2x8x8xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %a1 = he.poly_act %e1 coeffs [0.0, 0.3, 1.0] {name = "fire2.act1x1"} : tensor<?x4x8x8xf32>
  %e3 = he.conv2d %sa, %e3w, %e3b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x8x8xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %a3 = he.poly_act %e3 coeffs [0.0, 0.3, 0.7] trainable {name = "fire2.act3x3"} : tensor<?x4x8x8xf32>
  %y = he.concat %a1, %a3 {name = "fire2.cat"} : (tensor<?x4x8x8xf32>, tensor<?x4x8x8xf32>) -> tensor<?x8x8x8xf32>
  return %y : tensor<?x8x8x8xf32>
}
