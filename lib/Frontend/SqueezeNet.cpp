// SqueezeNet 1.0 exactly as torchvision builds it (state-dict keys
// features.N.squeeze/expand1x1/expand3x3 and classifier.1), with the layer
// names of the SqueezeNet paper: conv1, pool1, fire2..fire9 (their convs
// "fire2.squeeze", "fire2.expand1x1", "fire2.expand3x3"), pool4, pool8,
// conv10 and pool10 (the global average pool).
#include "lib/Frontend/ZooBuilders.h"

using namespace mlir;
using namespace he::frontend;

namespace {
Value fire(NetBuilder &net, Value x, int index, int number, int64_t squeeze,
           int64_t expand) {
  std::string key = "features." + std::to_string(index);
  std::string name = "fire" + std::to_string(number);
  auto convAct = [&](Value in, const char *part, int64_t channels,
                     int64_t kernel, int64_t padding) {
    std::string layer = name + "." + part;
    Value y =
        net.conv(in, key + "." + part, layer, channels, kernel, 1, padding);
    return net.relu(y, layer + ".act");
  };
  Value s = convAct(x, "squeeze", squeeze, 1, 0);
  Value e1 = convAct(s, "expand1x1", expand, 1, 0);
  Value e3 = convAct(s, "expand3x3", expand, 3, 1);
  return net.concat({e1, e3}, name + ".concat");
}

// Everything after the first convolution; the variants differ only there.
Value buildBody(NetBuilder &net, Value x, int64_t classes) {
  x = net.maxPool(x, "pool1", 3, 2, /*ceilMode=*/true);
  x = fire(net, x, 3, 2, 16, 64);
  x = fire(net, x, 4, 3, 16, 64);
  x = fire(net, x, 5, 4, 32, 128);
  x = net.maxPool(x, "pool4", 3, 2, /*ceilMode=*/true);
  x = fire(net, x, 7, 5, 32, 128);
  x = fire(net, x, 8, 6, 48, 192);
  x = fire(net, x, 9, 7, 48, 192);
  x = fire(net, x, 10, 8, 64, 256);
  x = net.maxPool(x, "pool8", 3, 2, /*ceilMode=*/true);
  x = fire(net, x, 12, 9, 64, 256);
  x = net.dropout(x, "drop", 0.5);
  x = net.conv(x, "classifier.1", "conv10", classes, 1);
  x = net.relu(x, "conv10.act");
  x = net.globalAvgPool(x, "pool10");
  return net.flatten(x, "flatten");
}
} // namespace

// 1,248,424 parameters for 1000 classes, 736,963 for 3.
Value he::frontend::buildSqueezeNet(NetBuilder &net, int64_t classes) {
  Value x = net.conv(net.input(), "features.0", "conv1", 96, 7, 2);
  return buildBody(net, net.relu(x, "conv1.act"), classes);
}

// For 32x32 images the 7x7/2 stem would leave too little to pool three
// times; a 3x3/1 convolution (padding 1) keeps 32x32, and the pools then
// give 16, 8 and 4.
Value he::frontend::buildSqueezeNetCifar(NetBuilder &net, int64_t classes) {
  Value x = net.conv(net.input(), "features.0", "conv1", 96, 3, 1, 1);
  return buildBody(net, net.relu(x, "conv1.act"), classes);
}
