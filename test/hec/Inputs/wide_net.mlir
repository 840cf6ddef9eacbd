// A network for 1x8x8 images and 3 classes that costs about 5 MFLOP per
// image (two 64-channel convolutions): evaluating a large split with it
// takes long, as a real network's would (stop_latency.test).
func.func @forward(%x: tensor<?x1x8x8xf32>) -> tensor<?x3xf32> {
  %w1 = he.param "conv1.weight" : tensor<64x1x3x3xf32>
  %b1 = he.param "conv1.bias" : tensor<64xf32>
  %c1 = he.conv2d %x, %w1, %b1 {name = "conv1", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1x8x8xf32>, tensor<64x1x3x3xf32>, tensor<64xf32>) -> tensor<?x64x8x8xf32>
  %r1 = he.relu %c1 {name = "conv1.act"} : tensor<?x64x8x8xf32>
  %w2 = he.param "conv2.weight" : tensor<64x64x3x3xf32>
  %b2 = he.param "conv2.bias" : tensor<64xf32>
  %c2 = he.conv2d %r1, %w2, %b2 {name = "conv2", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x64x8x8xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<?x64x8x8xf32>
  %r2 = he.relu %c2 {name = "conv2.act"} : tensor<?x64x8x8xf32>
  %f = he.flatten %r2 {name = "flatten"} : tensor<?x64x8x8xf32> -> tensor<?x4096xf32>
  %w3 = he.param "fc.weight" : tensor<3x4096xf32>
  %b3 = he.param "fc.bias" : tensor<3xf32>
  %y = he.linear %f, %w3, %b3 {name = "fc"} : (tensor<?x4096xf32>, tensor<3x4096xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
