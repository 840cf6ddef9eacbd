// RUN: he-opt %s --depth-report | FileCheck %s

// avg-pool multiplies by 1/k^2: one level; with divisor_override = 1 it is
// a sum pool (he-absorb-scalars moved the 1/k^2 on) and free; any other
// divisor is still a multiplication. The same for global_avg_pool2d.
// batch_norm's scale costs one level; dropout is free. BN running stats are
// buffers: 2 * 2; its weight and bias train: 2 * 2.
// CHECK-LABEL: depth report for @pools
// CHECK:      he.avg_pool2d        {{ *}}avg          {{ *}}0     1     1
// CHECK-NEXT: he.avg_pool2d        {{ *}}sum          {{ *}}1     0     1
// CHECK-NEXT: he.avg_pool2d        {{ *}}div4         {{ *}}1     1     2
// CHECK-NEXT: he.batch_norm        {{ *}}bn           {{ *}}2     1     3
// CHECK-NEXT: he.dropout           {{ *}}drop         {{ *}}3     0     3
// CHECK-NEXT: he.global_avg_pool2d {{ *}}gsum         {{ *}}3     0     3
// CHECK-NEXT: he.global_avg_pool2d {{ *}}gavg         {{ *}}3     1     4
// CHECK-NEXT: critical path: avg (+1) -> sum (+0) -> div4 (+1) -> bn (+1) -> drop (+0) -> gsum (+0) -> gavg (+1)
// CHECK-NEXT: total depth: 4
// CHECK-NEXT: trainable parameters: 4
// CHECK-NEXT: buffers: 4
func.func @pools(%x: tensor<?x2x16x16xf32>) -> (tensor<?x2x1x1xf32>, tensor<?x2x1x1xf32>) {
  %w = he.param "bn.weight" : tensor<2xf32>
  %b = he.param "bn.bias" : tensor<2xf32>
  %m = he.param "bn.running_mean" buffer : tensor<2xf32>
  %v = he.param "bn.running_var" buffer : tensor<2xf32>
  %0 = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "avg"} : tensor<?x2x16x16xf32> -> tensor<?x2x8x8xf32>
  %1 = he.avg_pool2d %0 {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, divisor_override = 1, name = "sum"} : tensor<?x2x8x8xf32> -> tensor<?x2x7x7xf32>
  %2 = he.avg_pool2d %1 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, divisor_override = 4, name = "div4"} : tensor<?x2x7x7xf32> -> tensor<?x2x3x3xf32>
  %3 = he.batch_norm %2, %w, %b, %m, %v {name = "bn"} : tensor<?x2x3x3xf32>, tensor<2xf32>
  %4 = he.dropout %3 {p = 0.2, name = "drop"} : tensor<?x2x3x3xf32>
  %5 = he.global_avg_pool2d %4 {divisor_override = 1, name = "gsum"} : tensor<?x2x3x3xf32> -> tensor<?x2x1x1xf32>
  %6 = he.global_avg_pool2d %5 {name = "gavg"} : tensor<?x2x1x1xf32> -> tensor<?x2x1x1xf32>
  return %5, %6 : tensor<?x2x1x1xf32>, tensor<?x2x1x1xf32>
}
