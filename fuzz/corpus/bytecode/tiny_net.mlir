// A small ReLU network for 1x8x8 images and 3 classes with every kind of
// layer the methods rewrite: conv, ReLU, max-pool, batch-norm, linear.
func.func @forward(%x: tensor<?x1x8x8xf32>) -> tensor<?x3xf32> {
  %w1 = he.param "conv1.weight" : tensor<4x1x3x3xf32>
  %b1 = he.param "conv1.bias" : tensor<4xf32>
  %c1 = he.conv2d %x, %w1, %b1 {name = "conv1", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %r1 = he.relu %c1 {name = "conv1.act"} : tensor<?x4x8x8xf32>
  %p1 = he.max_pool2d %r1 {name = "pool1", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  %g = he.param "bn1.weight" : tensor<4xf32>
  %s = he.param "bn1.bias" : tensor<4xf32>
  %m = he.param "bn1.running_mean" buffer : tensor<4xf32>
  %v = he.param "bn1.running_var" buffer : tensor<4xf32>
  %n = he.batch_norm %p1, %g, %s, %m, %v {name = "bn1"} : tensor<?x4x4x4xf32>, tensor<4xf32>
  %w2 = he.param "conv2.weight" : tensor<8x4x3x3xf32>
  %b2 = he.param "conv2.bias" : tensor<8xf32>
  %c2 = he.conv2d %n, %w2, %b2 {name = "conv2", padding = array<i64: 1, 1, 1, 1>} : (tensor<?x4x4x4xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<?x8x4x4xf32>
  %r2 = he.relu %c2 {name = "conv2.act"} : tensor<?x8x4x4xf32>
  %f = he.flatten %r2 {name = "flatten"} : tensor<?x8x4x4xf32> -> tensor<?x128xf32>
  %w3 = he.param "fc.weight" : tensor<3x128xf32>
  %b3 = he.param "fc.bias" : tensor<3xf32>
  %y = he.linear %f, %w3, %b3 {name = "fc"} : (tensor<?x128xf32>, tensor<3x128xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
