#include "lib/Frontend/Zoo.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ZooBuilders.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"

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

std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::interleave(
      shape,
      [&](int64_t d) {
        s += d == ShapedType::kDynamic ? "?" : std::to_string(d);
      },
      [&] { s += "x"; });
  return s;
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
  context.loadDialect<HeDialect, func::FuncDialect>();
  if (!llvm::sys::fs::exists(path)) {
    emitError(loc) << "no such network file: " << path;
    return nullptr;
  }
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, ParserConfig(&context));
  if (!module || failed(verify(*module)))
    return nullptr;

  // Errors point into the .mlir file, with a note at the experiment's key.
  auto fail = [&](Location at, const llvm::Twine &message) {
    emitError(at, message).attachNote(loc) << "network named here";
    return nullptr;
  };
  auto forward = module->lookupSymbol<func::FuncOp>("forward");
  if (!forward)
    return fail(module->getLoc(),
                "expects a func.func @forward, the network's entry point");
  SmallVector<int64_t> expectedIn = {ShapedType::kDynamic};
  expectedIn.append(inputShape.begin(), inputShape.end());
  auto matches = [](Type type, llvm::ArrayRef<int64_t> expected) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || tensor.getShape().size() != expected.size())
      return false;
    // The batch dimension may be fixed or dynamic.
    return tensor.getShape().drop_front() ==
           llvm::ArrayRef<int64_t>(expected).drop_front();
  };
  FunctionType type = forward.getFunctionType();
  std::string got;
  llvm::raw_string_ostream(got) << type;
  if (type.getNumInputs() != 1 || !matches(type.getInput(0), expectedIn))
    return fail(forward.getLoc(),
                "@forward must take one tensor<" + shapeText(expectedIn) +
                    "xf32> (the experiment's images), got " + got);
  SmallVector<int64_t> expectedOut = {ShapedType::kDynamic, classes};
  if (type.getNumResults() != 1 || !matches(type.getResult(0), expectedOut))
    return fail(forward.getLoc(),
                "@forward must return one tensor<" + shapeText(expectedOut) +
                    "xf32> (" + llvm::Twine(classes) + " classes), got " + got);
  return module;
}

OwningOpRef<ModuleOp>
he::frontend::buildExperimentModel(const Experiment &experiment,
                                   MLIRContext &context) {
  SourceLoc where = experiment.locationOf("model.name");
  Location loc =
      FileLineColLoc::get(&context, where.file, where.line, where.column);
  const ModelConfig &model = experiment.model;
  llvm::ArrayRef<int64_t> shape = experiment.data.imageSize;
  OwningOpRef<ModuleOp> module =
      model.isFile()
          ? loadModel(model.name, shape, model.classes, context, loc)
          : buildModel(model.name, model.classes, shape, context, loc);
  if (module && failed(verify(*module)))
    return nullptr;
  return module;
}
