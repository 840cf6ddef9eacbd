#include "lib/Frontend/Zoo.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/NetworkLoader.h"
#include "lib/Frontend/ZooBuilders.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace he;
using namespace he::frontend;
using llvm::StringRef;

namespace {
using Builder = Value (*)(NetBuilder &, int64_t);

struct Entry {
  ZooModel model;
  Builder build;
};

llvm::ArrayRef<Entry> entries() {
  static const Entry table[] = {
      {{"alexnet",
        {3, 224, 224},
        "AlexNet of the paper's appendix, with batch norm"},
       buildAlexNet},
      {{"alexnet_small",
        {1, 28, 28},
        "AlexNet-like for 28x28 images (the Fashion-MNIST yardstick)"},
       buildAlexNetSmall},
      {{"alexnet_cifar", {3, 32, 32}, "AlexNet's widths for 32x32 images"},
       buildAlexNetCifar},
      {{"squeezenet1_0", {3, 224, 224}, "torchvision's SqueezeNet 1.0"},
       buildSqueezeNet},
      {{"squeezenet_cifar",
        {3, 32, 32},
        "SqueezeNet 1.0 with a 3x3 stride-1 stem for 32x32 images"},
       buildSqueezeNetCifar},
      {{"he_cnn",
        {1, 28, 28},
        "two strided convolutions and two linear layers for encrypted "
        "inference: depth 7, N = 16384 (tools/he-ckks)"},
       buildHeCnn},
  };
  return table;
}

} // namespace

llvm::ArrayRef<ZooModel> he::frontend::zooModels() {
  static const std::vector<ZooModel> models = [] {
    std::vector<ZooModel> list;
    for (const Entry &entry : entries())
      list.push_back(entry.model);
    return list;
  }();
  return models;
}

const ZooModel *he::frontend::lookupZooModel(StringRef name) {
  for (const ZooModel &model : zooModels())
    if (model.name == name)
      return &model;
  return nullptr;
}

OwningOpRef<ModuleOp>
he::frontend::buildModel(StringRef name, int64_t classes,
                         llvm::ArrayRef<int64_t> inputShape,
                         MLIRContext &context, Location loc) {
  const Entry *entry = nullptr;
  for (const Entry &e : entries())
    if (e.model.name == name)
      entry = &e;
  if (!entry) {
    InFlightDiagnostic diag = emitError(loc) << "unknown network '" << name
                                             << "'; the zoo has ";
    llvm::interleaveComma(zooModels(), diag,
                          [&](const ZooModel &m) { diag << m.name; });
    return nullptr;
  }
  if (classes < 1) {
    emitError(loc) << name << " needs at least 1 class, got " << classes;
    return nullptr;
  }
  if (inputShape.size() != 3 ||
      llvm::any_of(inputShape, [](int64_t d) { return d < 1; })) {
    emitError(loc) << name << " needs images of shape [C, H, W] with positive "
                   << "sizes, got [" << shapeText(inputShape) << "]";
    return nullptr;
  }
  NetBuilder net(context, loc, name, inputShape);
  return net.finish(entry->build(net, classes));
}

OwningOpRef<ModuleOp>
he::frontend::buildModel(StringRef name, int64_t classes,
                         llvm::ArrayRef<int64_t> inputShape,
                         MLIRContext &context) {
  return buildModel(name, classes, inputShape, context,
                    UnknownLoc::get(&context));
}

OwningOpRef<ModuleOp>
he::frontend::loadModel(StringRef path, llvm::ArrayRef<int64_t> inputShape,
                        int64_t classes, MLIRContext &context, Location loc) {
  NetworkUse use;
  use.role = "the model";
  if (inputShape.size() == 3)
    std::copy(inputShape.begin(), inputShape.end(), use.inputShape.begin());
  use.classes = classes;
  return loadNetwork(path, use, context, loc);
}

OwningOpRef<ModuleOp>
he::frontend::buildExperimentModel(const Experiment &experiment,
                                   MLIRContext &context) {
  Location loc = experimentLoc(experiment, "model.name", context);
  const ModelConfig &model = experiment.model;
  llvm::ArrayRef<int64_t> shape = experiment.data.imageSize;
  OwningOpRef<ModuleOp> module =
      model.isFile()
          ? loadModel(model.name, shape, model.classes, context, loc)
          : buildModel(model.name, model.classes, shape, context, loc);
  if (module && (failed(verify(*module)) ||
                 failed(checkExperimentNetworks(experiment, *module, context))))
    return nullptr;
  return module;
}
