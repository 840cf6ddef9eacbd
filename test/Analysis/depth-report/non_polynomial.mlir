// RUN: he-opt %s --depth-report | FileCheck %s
// RUN: he-opt %s --depth-report-format=json | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=JSON

// A ReLU, a max-pool, a blend half-way through its transition and a blend
// still at lambda 0 on a ReLU: no finite depth. Each is named with its
// location; the levels after them are unknown ("-", JSON null). A ReLU that
// only feeds a blend at lambda 1 is not computed and is not listed.
// CHECK-LABEL: depth report for @mixed
// CHECK:      he.conv2d     {{ *}}conv1   {{ *}}0     1     1
// CHECK-NEXT: he.relu       {{ *}}act1    {{ *}}1     -     -
// CHECK-NEXT: he.max_pool2d {{ *}}pool1   {{ *}}-     -     -
// CHECK-NEXT: he.relu       {{ *}}act2.relu {{ *}}-     -     -
// CHECK-NEXT: he.poly_act   {{ *}}act2.poly {{ *}}-     2     -
// CHECK-NEXT: he.blend      {{ *}}act2    {{ *}}-     -     -
// CHECK-NEXT: he.relu       {{ *}}act3.relu {{ *}}1     -     -
// CHECK-NEXT: he.poly_act   {{ *}}act3.poly {{ *}}1     1     2
// CHECK-NEXT: he.blend      {{ *}}act3    {{ *}}2     0     2
// CHECK-NEXT: he.relu       {{ *}}act4.relu {{ *}}2     -     -
// CHECK-NEXT: he.poly_act   {{ *}}act4.poly {{ *}}2     1     3
// CHECK-NEXT: he.blend      {{ *}}act4    {{ *}}-     0     -
// CHECK-NEXT: he.avg_pool2d {{ *}}avg_pool2d {{ *}}-   1     -
// CHECK-NEXT: he.add        {{ *}}add     {{ *}}-     0     -
// CHECK-NEXT: critical path: none
// CHECK-NEXT: total depth: none: non-polynomial ops remain:
// CHECK-NEXT:   he.relu act1 at {{.*}}non_polynomial.mlir:[[@LINE+28]]:8
// CHECK-NEXT:   he.max_pool2d pool1 at {{.*}}non_polynomial.mlir:[[@LINE+28]]:8
// CHECK-NEXT:   he.relu act2.relu at {{.*}}non_polynomial.mlir:[[@LINE+29]]:9
// CHECK-NEXT:   he.blend act2 at {{.*}}non_polynomial.mlir:[[@LINE+30]]:9
// CHECK-NEXT:   he.relu act4.relu at {{.*}}non_polynomial.mlir:[[@LINE+35]]:9
// CHECK-NEXT:   he.blend act4 at {{.*}}non_polynomial.mlir:[[@LINE+36]]:9
// CHECK-NEXT: trainable parameters: 5
// CHECK-NEXT: buffers: 0
// CHECK-NEXT: CKKS at 128-bit security: no parameters: the depth is unknown

// JSON:      total_depth null
// JSON:      ckks fits false
// JSON-NEXT: ckks log_q null
// JSON-NEXT: ckks max_log_q null
// JSON-NEXT: ckks message "the depth is unknown"
// JSON-NEXT: ckks ring_dimension null
// JSON:      non_polynomial he.relu act1 {{.*}}non_polynomial.mlir:{{[0-9]+}}:8
// JSON-NEXT: non_polynomial he.max_pool2d pool1
// JSON-NEXT: non_polynomial he.relu act2.relu
// JSON-NEXT: non_polynomial he.blend act2
// JSON-NEXT: non_polynomial he.relu act4.relu
// JSON-NEXT: non_polynomial he.blend act4
// JSON-NOT:  critical_path
// JSON:      op he.conv2d conv1 {{.*}} 0 1 1
// JSON-NEXT: op he.relu act1 {{.*}} 1 null null
func.func @mixed(%x: tensor<?x1x4x4xf32>) -> tensor<?x2x2x2xf32> {
  %w = he.param "conv1.weight" : tensor<2x1x1x1xf32>
  %c = he.conv2d %x, %w : (tensor<?x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x4x4xf32>
  %r = he.relu %c {name = "act1"} : tensor<?x2x4x4xf32>
  %m = he.max_pool2d %r {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  // Mid-transition: lambda strictly between 0 and 1.
  %r2 = he.relu %m {name = "act2.relu"} : tensor<?x2x2x2xf32>
  %p2 = he.poly_act %m coeffs [0.0, 0.5, 0.1] trainable {name = "act2.poly"} : tensor<?x2x2x2xf32>
  %b2 = he.blend %r2, %p2 lambda 0.5 {name = "act2"} : tensor<?x2x2x2xf32>
  // At lambda 1 the ReLU side is dead: only the polynomial counts.
  %r3 = he.relu %c {name = "act3.relu"} : tensor<?x2x4x4xf32>
  %p3 = he.poly_act %c coeffs [0.0, 0.0, 1.0] {name = "act3.poly"} : tensor<?x2x4x4xf32>
  %b3 = he.blend %r3, %p3 lambda 1.0 {name = "act3"} : tensor<?x2x4x4xf32>
  // At lambda 0 the ReLU side is what the network computes.
  %r4 = he.relu %b3 {name = "act4.relu"} : tensor<?x2x4x4xf32>
  %p4 = he.poly_act %b3 coeffs [0.0, 0.0, 1.0] {name = "act4.poly"} : tensor<?x2x4x4xf32>
  %b4 = he.blend %r4, %p4 lambda 0.0 {name = "act4"} : tensor<?x2x4x4xf32>
  %e = he.avg_pool2d %b4 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  %s = he.add %b2, %e {name = "add"} : tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>
  return %s : tensor<?x2x2x2xf32>
}
