// RUN: he-opt %s --he-fold-batchnorm --split-input-file --verify-diagnostics

// Folding a batch norm into a splat weight of 2^30 elements would expand
// it (2^40 once ran out of memory with an LLVM fatal error): a weight
// rewritten by a fold has at most 2^28 elements (1 GiB of f32).
func.func @huge_splat(%x: tensor<?x1024x1x1xf32>) -> tensor<?x1048576x1x1xf32> {
  %w = he.param "conv.weight" : tensor<1048576x1024x1x1xf32> = dense<0.5>
  %bw = he.param "bn.weight" : tensor<1048576xf32> = dense<2.0>
  %bb = he.param "bn.bias" : tensor<1048576xf32> = dense<0.0>
  %bm = he.param "bn.running_mean" buffer : tensor<1048576xf32> = dense<0.0>
  %bv = he.param "bn.running_var" buffer : tensor<1048576xf32> = dense<1.0>
  %c = he.conv2d %x, %w : (tensor<?x1024x1x1xf32>, tensor<1048576x1024x1x1xf32>) -> tensor<?x1048576x1x1xf32>
  // expected-error @below {{'conv.weight' has 1073741824 elements, more than the 268435456 (1 GiB of f32) a rewrite may materialise}}
  %y = he.batch_norm %c, %bw, %bb, %bm, %bv {name = "bn"} : tensor<?x1048576x1x1xf32>, tensor<1048576xf32>
  return %y : tensor<?x1048576x1x1xf32>
}
