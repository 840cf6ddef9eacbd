// The AlexNet family of the paper's appendix. Every variant is the same
// PyTorch module, so state-dict keys agree across them:
//
//   features = Sequential(                      classifier = Sequential(
//     0 Conv2d(C, c1), 1 ReLU, 2 MaxPool,         0 Dropout(0.2), 1 Flatten,
//     3 BatchNorm2d(c1),                          2 Linear(n, fc), 3 ReLU,
//     4 Conv2d(c1, c2), 5 ReLU, 6 MaxPool,        4 Dropout(0.2),
//     7 BatchNorm2d(c2),                          5 Linear(fc, fc), 6 ReLU,
//     8 Conv2d(c2, c3), 9 ReLU,                   7 Linear(fc, classes))
//     10 Conv2d(c3, c4), 11 ReLU,
//     12 Conv2d(c4, c5), 13 ReLU, 14 MaxPool,
//     15 BatchNorm2d(c5))
//
// with layer names conv1..conv5, pool1..pool3, bn1..bn3, fc1..fc3 and
// "<layer>.act" for the activation after a layer. The first linear layer
// takes whatever the last pool leaves (256x6x6 = 9216 for AlexNet at 224).
#include "lib/Frontend/ZooBuilders.h"

using namespace mlir;
using namespace he::frontend;

namespace {
struct ConvSpec {
  int64_t channels, kernel, stride, padding;
};

struct AlexNetSpec {
  ConvSpec convs[5];
  int64_t poolKernel, poolStride;
  int64_t hidden;
};

Value buildFamily(NetBuilder &net, const AlexNetSpec &spec, int64_t classes) {
  auto convAct = [&](Value x, int index, int i) {
    const ConvSpec &c = spec.convs[i];
    std::string name = "conv" + std::to_string(i + 1);
    x = net.conv(x, "features." + std::to_string(index), name, c.channels,
                 c.kernel, c.stride, c.padding);
    return net.relu(x, name + ".act");
  };
  auto poolNorm = [&](Value x, int index, int i) {
    std::string n = std::to_string(i);
    x = net.maxPool(x, "pool" + n, spec.poolKernel, spec.poolStride);
    return net.batchNorm(x, "features." + std::to_string(index + 1), "bn" + n);
  };

  Value x = net.input();
  x = poolNorm(convAct(x, 0, 0), 2, 1);
  x = poolNorm(convAct(x, 4, 1), 6, 2);
  x = convAct(x, 8, 2);
  x = convAct(x, 10, 3);
  x = poolNorm(convAct(x, 12, 4), 14, 3);

  x = net.dropout(x, "drop1", 0.2);
  x = net.flatten(x, "flatten");
  x = net.relu(net.linear(x, "classifier.2", "fc1", spec.hidden), "fc1.act");
  x = net.dropout(x, "drop2", 0.2);
  x = net.relu(net.linear(x, "classifier.5", "fc2", spec.hidden), "fc2.act");
  return net.linear(x, "classifier.7", "fc3", classes);
}
} // namespace

// The paper's appendix: 11x11/4 and 5x5 convolutions, 3x3/2 pools, 4096-wide
// classifier; 57,017,155 parameters for 3 classes.
Value he::frontend::buildAlexNet(NetBuilder &net, int64_t classes) {
  AlexNetSpec spec{{{64, 11, 4, 2},
                    {192, 5, 1, 2},
                    {384, 3, 1, 1},
                    {256, 3, 1, 1},
                    {256, 3, 1, 1}},
                   3,
                   2,
                   4096};
  return buildFamily(net, spec, classes);
}

// The Fashion-MNIST yardstick: 3x3 convolutions, 2x2/2 pools
// (28 -> 14 -> 7 -> 3), a 256-wide classifier on 64x3x3 = 576 features.
Value he::frontend::buildAlexNetSmall(NetBuilder &net, int64_t classes) {
  AlexNetSpec spec{{{32, 3, 1, 1},
                    {64, 3, 1, 1},
                    {128, 3, 1, 1},
                    {128, 3, 1, 1},
                    {64, 3, 1, 1}},
                   2,
                   2,
                   256};
  return buildFamily(net, spec, classes);
}

// AlexNet's channel widths for 32x32 images: 3x3 convolutions and 2x2/2
// pools (32 -> 16 -> 8 -> 4), so the classifier sees 256x4x4 = 4096
// features; 1024-wide hidden layers keep it at 7.5M parameters.
Value he::frontend::buildAlexNetCifar(NetBuilder &net, int64_t classes) {
  AlexNetSpec spec{{{64, 3, 1, 1},
                    {192, 3, 1, 1},
                    {384, 3, 1, 1},
                    {256, 3, 1, 1},
                    {256, 3, 1, 1}},
                   2,
                   2,
                   1024};
  return buildFamily(net, spec, classes);
}
