// The paper's AlexNet (appendix) at 3x224x224 with 3 classes, in he IR as
// the model zoo describes it: torchvision's AlexNet layers with a batch-norm
// after each max-pool. Every parameter is a splat (weights 0.01, BN weight 1,
// bias 0, running_mean 0, running_var 1) so the file stays small; running
// statistics are buffers. Names follow conv1..5, bn1..3, fc1..3.
// Shapes: 224 -conv1 k11 s4 p2-> 55 -pool 3/2-> 27 -conv2 k5 p2-> 27
// -pool-> 13 -conv3,4,5 k3 p1-> 13 -pool-> 6; 256*6*6 = 9216.
func.func @alexnet(%x: tensor<?x3x224x224xf32>) -> tensor<?x3xf32> {
  %conv1_weight = he.param "conv1.weight" : tensor<64x3x11x11xf32> = dense<0.01>
  %conv1_bias = he.param "conv1.bias" : tensor<64xf32> = dense<0.01>
  %bn1_weight = he.param "bn1.weight" : tensor<64xf32> = dense<1.0>
  %bn1_bias = he.param "bn1.bias" : tensor<64xf32> = dense<0.0>
  %bn1_running_mean = he.param "bn1.running_mean" buffer : tensor<64xf32> = dense<0.0>
  %bn1_running_var = he.param "bn1.running_var" buffer : tensor<64xf32> = dense<1.0>
  %conv2_weight = he.param "conv2.weight" : tensor<192x64x5x5xf32> = dense<0.01>
  %conv2_bias = he.param "conv2.bias" : tensor<192xf32> = dense<0.01>
  %bn2_weight = he.param "bn2.weight" : tensor<192xf32> = dense<1.0>
  %bn2_bias = he.param "bn2.bias" : tensor<192xf32> = dense<0.0>
  %bn2_running_mean = he.param "bn2.running_mean" buffer : tensor<192xf32> = dense<0.0>
  %bn2_running_var = he.param "bn2.running_var" buffer : tensor<192xf32> = dense<1.0>
  %conv3_weight = he.param "conv3.weight" : tensor<384x192x3x3xf32> = dense<0.01>
  %conv3_bias = he.param "conv3.bias" : tensor<384xf32> = dense<0.01>
  %conv4_weight = he.param "conv4.weight" : tensor<256x384x3x3xf32> = dense<0.01>
  %conv4_bias = he.param "conv4.bias" : tensor<256xf32> = dense<0.01>
  %conv5_weight = he.param "conv5.weight" : tensor<256x256x3x3xf32> = dense<0.01>
  %conv5_bias = he.param "conv5.bias" : tensor<256xf32> = dense<0.01>
  %bn3_weight = he.param "bn3.weight" : tensor<256xf32> = dense<1.0>
  %bn3_bias = he.param "bn3.bias" : tensor<256xf32> = dense<0.0>
  %bn3_running_mean = he.param "bn3.running_mean" buffer : tensor<256xf32> = dense<0.0>
  %bn3_running_var = he.param "bn3.running_var" buffer : tensor<256xf32> = dense<1.0>
  %fc1_weight = he.param "fc1.weight" : tensor<4096x9216xf32> = dense<0.01>
  %fc1_bias = he.param "fc1.bias" : tensor<4096xf32> = dense<0.01>
  %fc2_weight = he.param "fc2.weight" : tensor<4096x4096xf32> = dense<0.01>
  %fc2_bias = he.param "fc2.bias" : tensor<4096xf32> = dense<0.01>
  %fc3_weight = he.param "fc3.weight" : tensor<3x4096xf32> = dense<0.01>
  %fc3_bias = he.param "fc3.bias" : tensor<3xf32> = dense<0.01>
  %conv1 = he.conv2d %x, %conv1_weight, %conv1_bias {stride = array<i64: 4, 4>, padding = array<i64: 2, 2, 2, 2>} : (tensor<?x3x224x224xf32>, tensor<64x3x11x11xf32>, tensor<64xf32>) -> tensor<?x64x55x55xf32>
  %relu1 = he.relu %conv1 {name = "relu1"} : tensor<?x64x55x55xf32>
  %pool1 = he.max_pool2d %relu1 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, name = "pool1"} : tensor<?x64x55x55xf32> -> tensor<?x64x27x27xf32>
  %bn1 = he.batch_norm %pool1, %bn1_weight, %bn1_bias, %bn1_running_mean, %bn1_running_var {name = "bn1"} : tensor<?x64x27x27xf32>, tensor<64xf32>
  %conv2 = he.conv2d %bn1, %conv2_weight, %conv2_bias {padding = array<i64: 2, 2, 2, 2>} : (tensor<?x64x27x27xf32>, tensor<192x64x5x5xf32>, tensor<192xf32>) -> tensor<?x192x27x27xf32>
  %relu2 = he.relu %conv2 {name = "relu2"} : tensor<?x192x27x27xf32>
  %pool2 = he.max_pool2d %relu2 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, name = "pool2"} : tensor<?x192x27x27xf32> -> tensor<?x192x13x13xf32>
  %bn2 = he.batch_norm %pool2, %bn2_weight, %bn2_bias, %bn2_running_mean, %bn2_running_var {name = "bn2"} : tensor<?x192x13x13xf32>, tensor<192xf32>
  %conv3 = he.conv2d %bn2, %conv3_weight, %conv3_bias {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x192x13x13xf32>, tensor<384x192x3x3xf32>, tensor<384xf32>) -> tensor<?x384x13x13xf32>
  %relu3 = he.relu %conv3 {name = "relu3"} : tensor<?x384x13x13xf32>
  %conv4 = he.conv2d %relu3, %conv4_weight, %conv4_bias {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x384x13x13xf32>, tensor<256x384x3x3xf32>, tensor<256xf32>) -> tensor<?x256x13x13xf32>
  %relu4 = he.relu %conv4 {name = "relu4"} : tensor<?x256x13x13xf32>
  %conv5 = he.conv2d %relu4, %conv5_weight, %conv5_bias {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x256x13x13xf32>, tensor<256x256x3x3xf32>, tensor<256xf32>) -> tensor<?x256x13x13xf32>
  %relu5 = he.relu %conv5 {name = "relu5"} : tensor<?x256x13x13xf32>
  %pool3 = he.max_pool2d %relu5 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, name = "pool3"} : tensor<?x256x13x13xf32> -> tensor<?x256x6x6xf32>
  %bn3 = he.batch_norm %pool3, %bn3_weight, %bn3_bias, %bn3_running_mean, %bn3_running_var {name = "bn3"} : tensor<?x256x6x6xf32>, tensor<256xf32>
  %drop1 = he.dropout %bn3 {p = 0.2, name = "drop1"} : tensor<?x256x6x6xf32>
  %flatten = he.flatten %drop1 {name = "flatten"} : tensor<?x256x6x6xf32> -> tensor<?x9216xf32>
  %fc1 = he.linear %flatten, %fc1_weight, %fc1_bias : (tensor<?x9216xf32>, tensor<4096x9216xf32>, tensor<4096xf32>) -> tensor<?x4096xf32>
  %relu6 = he.relu %fc1 {name = "relu6"} : tensor<?x4096xf32>
  %drop2 = he.dropout %relu6 {p = 0.2, name = "drop2"} : tensor<?x4096xf32>
  %fc2 = he.linear %drop2, %fc2_weight, %fc2_bias : (tensor<?x4096xf32>, tensor<4096x4096xf32>, tensor<4096xf32>) -> tensor<?x4096xf32>
  %relu7 = he.relu %fc2 {name = "relu7"} : tensor<?x4096xf32>
  %fc3 = he.linear %relu7, %fc3_weight, %fc3_bias : (tensor<?x4096xf32>, tensor<3x4096xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %fc3 : tensor<?x3xf32>
}
