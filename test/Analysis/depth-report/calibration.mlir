// A calibrated network (he.range on every op, he.input_range on every
// poly_act, as hec and `hec calibrate` record them): the depth report lists
// the ranges, the largest |x| and the bits the first CKKS modulus must hold
// beyond the scale, ceil(log2 max|x|) + 1, and warns when
// first_mod_bits - scale_bits is less.
// RUN: he-opt %s --depth-report -o /dev/null | FileCheck %s
// RUN: he-opt %s --depth-report-format=json --depth-report -o /dev/null | FileCheck %s --check-prefix=JSON
// 60 - 40 = 20 bits hold max|x| = 3000 (13 bits); 50 - 40 = 10 do not.
// RUN: he-opt %s --depth-report --depth-report-first-mod-bits=50 -o /dev/null | FileCheck %s --check-prefix=SHORT

// CHECK: calibrated ranges (min, max, 99.99th percentile of |x|):
// CHECK-NEXT:   conv1                    output [-2.5, 4] p99.99 3.5
// CHECK-NEXT:   act1                     input  [-2.5, 4] p99.99 3.5
// CHECK-NEXT:   act1                     output [0, 3000] p99.99 2048
// CHECK-NEXT:   fc                       output [-1, 1] p99.99 0.5
// CHECK-NEXT: largest |x|: 3000 (act1); the first modulus needs 13 bits beyond the scale, has 20
// CHECK-NOT: warning

// JSON: "calibration": {
// JSON-NEXT: "enough": true,
// JSON-NEXT: "headroom_bits": 20,
// JSON-NEXT: "integer_bits": 13,
// JSON-NEXT: "max_abs": 3000,
// JSON-NEXT: "max_abs_at": "act1",
// JSON-NEXT: "ops": [
// JSON: "input": {
// JSON-NEXT: "abs_p9999": 3.5,
// JSON-NEXT: "max": 4,
// JSON-NEXT: "min": -2.5

// SHORT: warning: first_mod_bits - scale_bits = 10 < 13: decryption would overflow; raise first_mod_bits
func.func @net(%x: tensor<?x1x2x2xf32>) -> tensor<?x2xf32> {
  %w = he.param "conv1.weight" : tensor<1x1x1x1xf32> = dense<0.5>
  %c = he.conv2d %x, %w {name = "conv1", he.range = {min = -2.5, max = 4.0, abs_p9999 = 3.5}} : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
  %a = he.poly_act %c coeffs [0.0, 0.5, 1.0] {name = "act1", he.input_range = {min = -2.5, max = 4.0, abs_p9999 = 3.5}, he.range = {min = 0.0, max = 3000.0, abs_p9999 = 2048.0}} : tensor<?x1x2x2xf32>
  %f = he.flatten %a : tensor<?x1x2x2xf32> -> tensor<?x4xf32>
  %w2 = he.param "fc.weight" : tensor<2x4xf32> = dense<0.5>
  %y = he.linear %f, %w2 {name = "fc", he.range = {min = -1.0, max = 1.0, abs_p9999 = 0.5}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
