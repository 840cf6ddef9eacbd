// Every shipped experiment is trainable by the runtime, not only parsed:
// its data kind has a source, whose images come at its data.image_size
// (a kind read as stored, Fashion-MNIST, is loaded from generated files of
// its stored size through the driver's checks of size and classes), its
// network (each method's, after the method's passes) runs a batch of its
// image size to its class count, and its options pass the trainer's
// checks. The data sets themselves are not shipped; test/hec/ reads each
// kind from generated files.
#include "lib/Frontend/DataSets.h"
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/Zoo.h"
#include "lib/Transforms/Passes.h"
#include "runtime/HeModule.h"
#include "runtime/TrainSteps.h"
#include "tools/hec/ExperimentData.h"
#include "tools/hec/TrainOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace he;

namespace {
void writeBigEndian(std::ofstream &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.put(char((v >> shift) & 0xff));
}

// <dir>/{train,t10k}-{images,labels}-idx*-ubyte: ten images of `size`
// ([1, H, W]), one per class.
void writeIdx(const std::string &dir, const frontend::ImageSize &size) {
  for (const char *split : {"train", "t10k"}) {
    std::ofstream images(dir + "/" + split + "-images-idx3-ubyte",
                         std::ios::binary);
    for (uint32_t v : {0x803u, 10u, uint32_t(size[1]), uint32_t(size[2])})
      writeBigEndian(images, v);
    for (int64_t i = 0; i < 10 * size[1] * size[2]; ++i)
      images.put(char(i % 251));
    std::ofstream labels(dir + "/" + split + "-labels-idx1-ubyte",
                         std::ios::binary);
    writeBigEndian(labels, 0x801u);
    writeBigEndian(labels, 10u);
    for (char label = 0; label < 10; ++label)
      labels.put(label);
  }
}

// The runtime reads the experiment's data at its image size: a kind it
// does not resize is loaded from files of its stored size through the
// driver's checks (size, classes); the others are resized to any size.
void expectDataLoads(frontend::Experiment e) {
  ASSERT_TRUE(hec::dataSource(e));
  std::optional<frontend::ImageSize> stored =
      frontend::fixedImageSize(e.data.kind);
  if (!stored)
    return;
  ASSERT_EQ(e.data.kind, frontend::DataKind::FashionMnist);
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hec-shipped", dir));
  writeIdx(dir.str().str(), *stored);
  e.data.path = dir.str().str();
  e.data.validation = 0;
  hec::Splits splits;
  EXPECT_NO_THROW(splits = hec::loadExperimentData(e));
  EXPECT_EQ(splits.train.images.size(1), e.data.imageSize[0]);
  EXPECT_EQ(splits.train.images.size(2), e.data.imageSize[1]);
  EXPECT_EQ(splits.train.images.size(3), e.data.imageSize[2]);
  llvm::sys::fs::remove_directories(dir);
}

TEST(ShippedRunnableTest, EveryExperimentsNetworksRunOnItsImages) {
  registerHePasses();
  std::error_code ec;
  int count = 0;
  std::string folder = HEC_SOURCE_DIR "/experiments";
  for (llvm::sys::fs::directory_iterator it(folder, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".toml")
      continue;
    ++count;
    SCOPED_TRACE(it->path());
    frontend::ParseOptions noPaths;
    noPaths.checkPaths = false;
    frontend::ParseResult parsed =
        frontend::parseExperiment(it->path(), noPaths);
    ASSERT_TRUE(parsed);
    const frontend::Experiment &e = *parsed.experiment;
    expectDataLoads(e);
    for (frontend::Method method : e.methods) {
      SCOPED_TRACE(frontend::toString(method).str());
      mlir::MLIRContext context;
      mlir::OwningOpRef<mlir::ModuleOp> module =
          frontend::buildExperimentModel(e, context);
      ASSERT_TRUE(module);
      std::string pipeline = frontend::methodPipeline(method, e.polynomial);
      if (!pipeline.empty()) {
        mlir::PassManager pm(&context);
        ASSERT_TRUE(succeeded(mlir::parsePassPipeline(
            "builtin.module(func.func(" + pipeline + "))", pm)));
        ASSERT_TRUE(succeeded(pm.run(*module)));
      }
      auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
      ASSERT_TRUE(func);
      torch::manual_seed(0);
      runtime::HeModule net(func);
      net.eval();
      torch::NoGradGuard noGrad;
      const auto &size = e.data.imageSize;
      torch::Tensor logits =
          net.forward(torch::zeros({2, size[0], size[1], size[2]}));
      EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, e.model.classes}));
      runtime::TrainOptions o = hec::trainOptions(e, method, 1, torch::kCPU);
      EXPECT_NO_THROW(runtime::checkTrainOptions(o, &net));
    }
  }
  EXPECT_GE(count, 8);
}
} // namespace
