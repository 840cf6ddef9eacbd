// A minimal network for 1x28x28 images and 10 classes, for tests that load
// a network from a file.
func.func @forward(%x: tensor<?x1x28x28xf32>) -> tensor<?x10xf32> {
  %f = he.flatten %x {name = "flatten"} : tensor<?x1x28x28xf32> -> tensor<?x784xf32>
  %w = he.param "fc.weight" : tensor<10x784xf32>
  %b = he.param "fc.bias" : tensor<10xf32>
  %y = he.linear %f, %w, %b {name = "fc"} : (tensor<?x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}
