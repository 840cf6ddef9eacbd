// RUN: he-opt %s --depth-report | FileCheck %s

// A residual block: the skip path stays at level 0, the main path takes
// conv (1) + x^2 (1) + conv (1); the add costs nothing and sits at the max
// of its inputs (3). The critical path follows the main branch.
// CHECK-LABEL: depth report for @residual
// CHECK:       he.conv2d   {{ *}}conv1  {{ *}}0     1     1
// CHECK-NEXT:  he.poly_act {{ *}}sq     {{ *}}1     1     2
// CHECK-NEXT:  he.conv2d   {{ *}}conv2  {{ *}}2     1     3
// CHECK-NEXT:  he.add      {{ *}}skip   {{ *}}3     0     3
// CHECK-NEXT:  he.poly_act {{ *}}out    {{ *}}3     1     4
// CHECK-NEXT: critical path: conv1 (+1) -> sq (+1) -> conv2 (+1) -> skip (+0) -> out (+1)
// CHECK-NEXT: total depth: 4
func.func @residual(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w1 = he.param "conv1.weight" : tensor<2x2x3x3xf32>
  %w2 = he.param "conv2.weight" : tensor<2x2x3x3xf32>
  %c1 = he.conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  %s = he.poly_act %c1 coeffs [0.0, 0.0, 1.0] {name = "sq"} : tensor<?x2x4x4xf32>
  %c2 = he.conv2d %s, %w2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  // The deep branch is the right-hand side: the max, not the first operand.
  %sum = he.add %x, %c2 {name = "skip"} : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
  // x^2 + x: monic, one level.
  %y = he.poly_act %sum coeffs [0.0, 1.0, 1.0] {name = "out"} : tensor<?x2x4x4xf32>
  return %y : tensor<?x2x4x4xf32>
}

// Two results: the total is the deeper one (linear, 1) and not the first
// returned (the input itself, 0); a constant shift added by he.add is free
// (a `buffer` param: counted as a buffer, not trained).
// A second function gets its own report, in module order.
// CHECK-LABEL: depth report for @two_results
// CHECK:       he.linear  {{ *}}fc    {{ *}}0     1     1
// CHECK-NEXT:  he.add     {{ *}}shift {{ *}}1     0     1
// CHECK-NEXT: critical path: fc (+1) -> shift (+0)
// CHECK-NEXT: total depth: 1
// CHECK-NEXT: trainable parameters: 12
// CHECK-NEXT: buffers: 4
func.func @two_results(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x4xf32>) {
  %w = he.param "fc.weight" : tensor<4x3xf32>
  %shift = he.param "shift" buffer : tensor<4xf32>
  %y = he.linear %x, %w : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x4xf32>
  %z = he.add %y, %shift : tensor<?x4xf32>, tensor<4xf32>
  return %x, %z : tensor<?x3xf32>, tensor<?x4xf32>
}
