// An op that declares no multiplicative cost (he::LevelCostOpInterface) is
// an error naming it, not a silent 0: here an op of another dialect, which
// could multiply. The report stops he-opt and prints nothing for the func.
// RUN: he-opt %s --allow-unregistered-dialect --depth-report --verify-diagnostics --split-input-file
// RUN: not he-opt %s --allow-unregistered-dialect --depth-report --split-input-file 2>&1 | FileCheck %s
// CHECK-NOT: depth report for
// CHECK: error: 'foreign.mul' op declares no multiplicative cost (he::LevelCostOpInterface): its depth is unknown

func.func @foreign(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'foreign.mul' op declares no multiplicative cost (he::LevelCostOpInterface): its depth is unknown}}
  %y = "foreign.mul"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %r = he.relu %y : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// Each such op is named, even one whose result goes unused.
func.func @two(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'foreign.scale' op declares no multiplicative cost}}
  %a = "foreign.scale"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error@+1 {{'foreign.unused' op declares no multiplicative cost}}
  %b = "foreign.unused"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %a : tensor<?x4xf32>
}
