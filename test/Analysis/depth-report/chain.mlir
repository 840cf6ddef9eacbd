// RUN: he-opt %s --depth-report | FileCheck %s
// RUN: he-opt %s --depth-report-format=json | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=JSON

// The pass leaves the IR as it is: with -o, the module is written unchanged
// and the report still goes to stdout.
// RUN: he-opt %s -o %t.ref
// RUN: he-opt %s --depth-report -o %t.out | FileCheck %s --check-prefix=KEEP
// RUN: diff %t.ref %t.out
// KEEP: total depth: 5

// The report runs where it stands in the pipeline: after the ReLU of
// @late_relu is replaced by x^2, the depth is known.
// RUN: he-opt %s --he-replace-activations=method=square --depth-report | FileCheck %s --check-prefix=ORDER
// RUN: he-opt %s --depth-report --he-replace-activations=method=square | FileCheck %s --check-prefix=ORDER-BEFORE
// ORDER-LABEL: depth report for @late_relu
// ORDER: total depth: 2
// ORDER-BEFORE-LABEL: depth report for @late_relu
// ORDER-BEFORE: total depth: none

// conv (1) -> general quadratic (2) -> avg-pool 1/4 (1) -> flatten (0) ->
// linear (1): 5 levels, every op on the critical path.
// 60 + 5*40 + 60 = 320 bits: over 218 (N = 8192), within 438 (N = 16384).
// Parameters: conv 2*1*3*3 + 2 = 20, fc 3*8 + 3 = 27, poly 3: 50.

// CHECK-LABEL: depth report for @chain
// CHECK-NEXT:  op                   layer                       in  cost   out  location
// CHECK-NEXT:  he.conv2d            conv1                        0     1     1  {{.*}}chain.mlir:[[@LINE+42]]:8
// CHECK-NEXT:  he.poly_act          act1                         1     2     3  {{.*}}chain.mlir:[[@LINE+42]]:8
// CHECK-NEXT:  he.avg_pool2d        pool1                        3     1     4  {{.*}}chain.mlir:[[@LINE+42]]:8
// CHECK-NEXT:  he.flatten           flatten                      4     0     4
// CHECK-NEXT:  he.linear            fc                           4     1     5
// CHECK-NEXT: critical path: conv1 (+1) -> act1 (+2) -> pool1 (+1) -> flatten (+0) -> fc (+1)
// CHECK-NEXT: total depth: 5
// CHECK-NEXT: trainable parameters: 50
// CHECK-NEXT: buffers: 0
// CHECK-NEXT: CKKS at 128-bit security: log_q = 60 + 5*40 + 60 = 320
// CHECK-NEXT:   ring dimension N = 16384 (max log_q 438), 8192 slots

// The same report as JSON, and nothing else on stdout: the module goes to
// /dev/null (json_fields.py fails on anything that is not JSON).
// JSON:      function chain
// JSON-NEXT: total_depth 5
// JSON-NEXT: parameters 50
// JSON-NEXT: buffers 0
// JSON:      ckks first_mod_bits 60
// JSON-NEXT: ckks fits true
// JSON-NEXT: ckks log_q 320
// JSON-NEXT: ckks max_log_q 438
// JSON-NEXT: ckks ring_dimension 16384
// JSON-NEXT: ckks scale_bits 40
// JSON-NEXT: ckks security_bits 128
// JSON-NEXT: ckks slots 8192
// JSON-NEXT: ckks special_prime_bits 60
// JSON-NEXT: critical_path he.conv2d conv1 {{.*}}chain.mlir:{{[0-9]+}}:8 1 1
// JSON-NEXT: critical_path he.poly_act act1 {{.*}} 2 3
// JSON-NEXT: critical_path he.avg_pool2d pool1 {{.*}} 1 4
// JSON-NEXT: critical_path he.flatten flatten {{.*}} 0 4
// JSON-NEXT: critical_path he.linear fc {{.*}} 1 5
// JSON-NEXT: op he.conv2d conv1 {{.*}}chain.mlir:{{[0-9]+}}:8 0 1 1
// JSON-NEXT: op he.poly_act act1 {{.*}} 1 2 3
// JSON-NEXT: op he.avg_pool2d pool1 {{.*}} 3 1 4
// JSON-NEXT: op he.flatten flatten {{.*}} 4 0 4
// JSON-NEXT: op he.linear fc {{.*}} 4 1 5
func.func @chain(%x: tensor<?x1x4x4xf32>) -> tensor<?x3xf32> {
  %w = he.param "conv1.weight" : tensor<2x1x3x3xf32>
  %b = he.param "conv1.bias" : tensor<2xf32>
  %fw = he.param "fc.weight" : tensor<3x8xf32>
  %fb = he.param "fc.bias" : tensor<3xf32>
  %c = he.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  %a = he.poly_act %c coeffs [0.0, 0.5, 0.25] trainable {name = "act1"} : tensor<?x2x4x4xf32>
  %p = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  %f = he.flatten %p : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %y = he.linear %f, %fw, %fb : (tensor<?x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

func.func @late_relu(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = he.param "fc.weight" : tensor<3x3xf32>
  %y = he.linear %x, %w : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  %r = he.relu %y : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
