// Every shipped experiment is trainable by the runtime, not only parsed:
// its data kind has a source, its network (each method's, after the
// method's passes) runs a batch of its image size to its class count, and
// its options pass the trainer's checks. The data sets themselves are not
// shipped; test/hec/ reads each kind from generated files.
#include "lib/Frontend/Methods.h"
#include "lib/Frontend/Zoo.h"
#include "lib/Transforms/Passes.h"
#include "runtime/HeModule.h"
#include "runtime/TrainSteps.h"
#include "tools/hec/TrainOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace he;

namespace {
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
