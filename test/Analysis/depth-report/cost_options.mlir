// Each cost-model option changes the depth of the same network. With the
// defaults: conv 1 + bn 1 + avg-pool 1 + a*x^2 + b*x (mul 1 + scalar 1) +
// flatten 0 + linear 1 + add 0 = 6.
// RUN: he-opt %s --depth-report | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: he.conv2d {{.*}} 0     1     1
// DEFAULT: total depth: 6

// conv 2: 7. The option also has the pass's own spelling.
// RUN: he-opt %s --depth-report-conv-cost=2 | FileCheck %s --check-prefix=CONV
// RUN: he-opt %s --depth-report="conv-cost=2" | FileCheck %s --check-prefix=CONV
// CONV: he.conv2d {{.*}} 0     2     2
// CONV: total depth: 7

// linear 3: 8.
// RUN: he-opt %s --depth-report-linear-cost=3 | FileCheck %s --check-prefix=LINEAR
// LINEAR: he.linear {{.*}} 5     3     8
// LINEAR: total depth: 8

// pool 0: 5 (as if every pool were a sum pool).
// RUN: he-opt %s --depth-report-pool-cost=0 | FileCheck %s --check-prefix=POOL
// POOL: he.avg_pool2d {{.*}} 2     0     2
// POOL: total depth: 5

// bn 4: 9.
// RUN: he-opt %s --depth-report-bn-cost=4 | FileCheck %s --check-prefix=BN
// BN: he.batch_norm {{.*}} 1     4     5
// BN: total depth: 9

// mul 5: the quadratic costs 5 + 1: 10.
// RUN: he-opt %s --depth-report-mul-cost=5 | FileCheck %s --check-prefix=MUL
// MUL: he.poly_act {{.*}} 3     6     9
// MUL: total depth: 10

// scalar 6: the quadratic costs 1 + 6: 11.
// RUN: he-opt %s --depth-report-scalar-cost=6 | FileCheck %s --check-prefix=SCALAR
// SCALAR: he.poly_act {{.*}} 3     7    10
// SCALAR: total depth: 11

// add 1: 7.
// RUN: he-opt %s --depth-report-add-cost=1 | FileCheck %s --check-prefix=ADD
// ADD: he.add {{.*}} 6     1     7
// ADD: total depth: 7

// Several at once, in the JSON report's cost_model too: 1+1+0+2+1+0 = 5 and
// then conv 3: 7.
// RUN: he-opt %s --depth-report-format=json --depth-report-pool-cost=0 --depth-report-conv-cost=3 | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=JSON
// JSON:      total_depth 7
// JSON:      cost_model add 0
// JSON-NEXT: cost_model bn 1
// JSON-NEXT: cost_model conv 3
// JSON-NEXT: cost_model linear 1
// JSON-NEXT: cost_model mul 1
// JSON-NEXT: cost_model pool 0
// JSON-NEXT: cost_model scalar 1
func.func @net(%x: tensor<?x1x4x4xf32>) -> tensor<?x2xf32> {
  %w = he.param "conv1.weight" : tensor<2x1x1x1xf32>
  %g = he.param "bn1.weight" : tensor<2xf32>
  %b = he.param "bn1.bias" : tensor<2xf32>
  %m = he.param "bn1.running_mean" buffer : tensor<2xf32>
  %v = he.param "bn1.running_var" buffer : tensor<2xf32>
  %fw = he.param "fc.weight" : tensor<2x8xf32>
  %c = he.conv2d %x, %w : (tensor<?x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x4x4xf32>
  %n = he.batch_norm %c, %g, %b, %m, %v : tensor<?x2x4x4xf32>, tensor<2xf32>
  %p = he.avg_pool2d %n {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  %a = he.poly_act %p coeffs [0.0, 0.5, 0.1] : tensor<?x2x2x2xf32>
  %f = he.flatten %a : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %y = he.linear %f, %fw : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
  %z = he.add %y, %y : tensor<?x2xf32>, tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}
