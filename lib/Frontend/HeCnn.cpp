// A network sized for encrypted inference on 1x28x28 images (tools/he-ckks):
// two strided 3x3 convolutions and two linear layers, no pools, so that
// after the polynomial pipeline every layer and every absorbed activation
// x*(x + b/a) uses one CKKS level: 4 layers + 3 activations = depth 7, which
// fits N = 16384 at 128-bit security (60 + 7*40 + 60 = 400 <= 438 bits).
// Strides instead of pools keep the encrypted feature maps where they are in
// the slots, and 8 and 16 channels keep the rotations of the encrypted
// convolutions (one per input channel and kernel offset) few.
//
//   features = Sequential(                      classifier = Sequential(
//     0 Conv2d(1, 8, 3, stride 2, pad 1), 1 ReLU,   0 Flatten,
//     2 Conv2d(8, 16, 3, stride 2, pad 1), 3 ReLU)  1 Linear(784, 32), 2 ReLU,
//                                                   3 Linear(32, classes))
//
// 28 -> 14 -> 7: the classifier sees 16x7x7 = 784 features.
#include "lib/Frontend/ZooBuilders.h"

using namespace mlir;
using namespace he::frontend;

Value he::frontend::buildHeCnn(NetBuilder &net, int64_t classes) {
  Value x = net.input();
  x = net.relu(net.conv(x, "features.0", "conv1", 8, 3, 2, 1), "conv1.act");
  x = net.relu(net.conv(x, "features.2", "conv2", 16, 3, 2, 1), "conv2.act");
  x = net.flatten(x, "flatten");
  x = net.relu(net.linear(x, "classifier.1", "fc1", 32), "fc1.act");
  return net.linear(x, "classifier.3", "fc2", classes);
}
