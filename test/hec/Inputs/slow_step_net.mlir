// A network for 1x8x8 images and 3 classes whose training step costs about
// 7 GFLOP per image (two 1024-channel convolutions): a step on a large
// batch takes many seconds on one core, as a 224x224 network's does
// (stop_latency.test, a stop inside a training step).
func.func @forward(%x: tensor<?x1x8x8xf32>) -> tensor<?x3xf32> {
  %w1 = he.param "conv1.weight" : tensor<1024x1x3x3xf32>
  %b1 = he.param "conv1.bias" : tensor<1024xf32>
  %c1 = he.conv2d %x, %w1, %b1 {name = "conv1", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1x8x8xf32>, tensor<1024x1x3x3xf32>, tensor<1024xf32>) -> tensor<?x1024x8x8xf32>
  %r1 = he.relu %c1 {name = "conv1.act"} : tensor<?x1024x8x8xf32>
  %w2 = he.param "conv2.weight" : tensor<1024x1024x3x3xf32>
  %b2 = he.param "conv2.bias" : tensor<1024xf32>
  %c2 = he.conv2d %r1, %w2, %b2 {name = "conv2", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1024x8x8xf32>, tensor<1024x1024x3x3xf32>, tensor<1024xf32>) -> tensor<?x1024x8x8xf32>
  %r2 = he.relu %c2 {name = "conv2.act"} : tensor<?x1024x8x8xf32>
  %w3 = he.param "conv3.weight" : tensor<1024x1024x3x3xf32>
  %b3 = he.param "conv3.bias" : tensor<1024xf32>
  %c3 = he.conv2d %r2, %w3, %b3 {name = "conv3", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1024x8x8xf32>, tensor<1024x1024x3x3xf32>, tensor<1024xf32>) -> tensor<?x1024x8x8xf32>
  %r3 = he.relu %c3 {name = "conv3.act"} : tensor<?x1024x8x8xf32>
  %p = he.global_avg_pool2d %r3 {name = "pool"} : tensor<?x1024x8x8xf32> -> tensor<?x1024x1x1xf32>
  %f = he.flatten %p {name = "flatten"} : tensor<?x1024x1x1xf32> -> tensor<?x1024xf32>
  %w4 = he.param "fc.weight" : tensor<3x1024xf32>
  %b4 = he.param "fc.bias" : tensor<3xf32>
  %y = he.linear %f, %w4, %b4 {name = "fc"} : (tensor<?x1024xf32>, tensor<3x1024xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
