// Every experiment in experiments/ parses, and its network builds and
// verifies; the data-set folders that are not shipped are not checked.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/Zoo.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace he::frontend;

namespace {
std::string experimentPath(llvm::StringRef name) {
  return (llvm::Twine(HEC_SOURCE_DIR) + "/experiments/" + name).str();
}

Experiment parseShipped(llvm::StringRef name, bool checkPaths = false) {
  ParseOptions options;
  options.checkPaths = checkPaths;
  ParseResult result = parseExperiment(experimentPath(name), options);
  for (const Diagnostic &d : result.diagnostics)
    ADD_FAILURE() << d.str();
  return result.experiment.value_or(Experiment{});
}

TEST(ShippedExperimentsTest, EveryExperimentParsesAndItsNetworkVerifies) {
  std::error_code ec;
  int count = 0;
  for (llvm::sys::fs::directory_iterator it(experimentPath(""), ec), end;
       it != end && !ec; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".toml")
      continue;
    ++count;
    SCOPED_TRACE(it->path());
    Experiment e = parseShipped(llvm::sys::path::filename(it->path()));
    mlir::MLIRContext context;
    std::string messages;
    mlir::ScopedDiagnosticHandler handler(
        &context, [&](mlir::Diagnostic &d) { messages += d.str() + "\n"; });
    EXPECT_TRUE(buildExperimentModel(e, context)) << messages;
  }
  EXPECT_GE(count, 6);
}

TEST(ShippedExperimentsTest, TheYardstickIsThePapersSmallSetting) {
  Experiment e = parseShipped("fashion_mnist.toml");
  EXPECT_EQ(e.model.name, "alexnet_small");
  EXPECT_EQ(e.data.trainSubset, 20000);
  EXPECT_EQ(e.data.testSubset, 0);
  EXPECT_EQ(e.training.epochs, 12);
  EXPECT_EQ(e.training.batchSize, 128);
  EXPECT_DOUBLE_EQ(e.training.lr, 1e-3);
  EXPECT_EQ(e.training.lrSchedule, LrSchedule::Cosine);
  EXPECT_EQ(e.training.seeds, (std::vector<int64_t>{111, 222, 333}));
  EXPECT_EQ(e.methods.size(), 6u);
  // Replacement starts in the 3rd epoch and is complete in the 6th.
  EXPECT_DOUBLE_EQ(e.transition.lambdaAt(2), 0);
  EXPECT_DOUBLE_EQ(e.transition.lambdaAt(3), 0.25);
  EXPECT_EQ(e.transition.lastEpoch(), 6);
  EXPECT_TRUE(e.polynomial.fitRelu);
  EXPECT_DOUBLE_EQ(e.training.gradClip, 10);
}

// The encrypted-inference experiment trains he_cnn (depth 7, N = 16384) with
// the baseline and hec's full method, briefly.
TEST(ShippedExperimentsTest, TheEncryptedInferenceExperimentIsShort) {
  Experiment e = parseShipped("fashion_mnist_he.toml");
  EXPECT_EQ(e.model.name, "he_cnn");
  EXPECT_EQ(e.methods.size(), 2u);
  EXPECT_EQ(e.data.trainSubset, 20000);
  EXPECT_EQ(e.data.testSubset, 0);
  EXPECT_EQ(e.training.epochs, 8);
  EXPECT_EQ(e.training.seeds, (std::vector<int64_t>{111}));
  EXPECT_EQ(e.transition.lastEpoch(), 4);
  EXPECT_TRUE(e.polynomial.fitRelu);
}

// The warm-start variant differs from the yardstick only where it says so.
TEST(ShippedExperimentsTest, TheWarmYardstickChangesOnlyTheStart) {
  Experiment cold = parseShipped("fashion_mnist.toml");
  Experiment warm = parseShipped("fashion_mnist_warm.toml");
  EXPECT_EQ(warm.training.init, WeightInit::Baseline);
  EXPECT_EQ(warm.transition.startEpoch, 1);
  EXPECT_EQ(warm.transition.lastEpoch(), 4);
  warm.name = cold.name;
  warm.output = cold.output;
  warm.training.init = cold.training.init;
  warm.transition = cold.transition;
  // The warm file keeps the paper's start for the polynomials: its
  // recorded runs predate polynomial.fit_relu.
  EXPECT_FALSE(warm.polynomial.fitRelu);
  warm.polynomial.fitRelu = cold.polynomial.fitRelu;
  // Nor did the yardstick train 12 epochs yet.
  EXPECT_EQ(warm.training.epochs, 8);
  warm.training.epochs = cold.training.epochs;
  // Nor clipped the gradients.
  EXPECT_EQ(warm.training.gradClip, 0);
  warm.training.gradClip = cold.training.gradClip;
  warm.locations = cold.locations;
  EXPECT_EQ(printExperiment(warm), printExperiment(cold));
}

TEST(ShippedExperimentsTest, ThePaperSettingsAgree) {
  for (const char *name : {"alexnet_covidx.toml", "alexnet_covidx_ct.toml",
                           "squeezenet.toml", "cifar10_alexnet.toml"}) {
    SCOPED_TRACE(name);
    Experiment e = parseShipped(name);
    EXPECT_EQ(e.training.batchSize, 32);
    EXPECT_DOUBLE_EQ(e.training.lr, 1e-4);
    EXPECT_EQ(e.training.seeds,
              (std::vector<int64_t>{111, 222, 333, 444, 555}));
    EXPECT_EQ(e.transition.startEpoch, 3);
    EXPECT_EQ(e.transition.epochs, 10);
    EXPECT_DOUBLE_EQ(e.distillation.temperature, 10);
    EXPECT_DOUBLE_EQ(e.distillation.alpha, 0.1);
    EXPECT_EQ(e.data.imageSize, (std::array<int64_t, 3>{3, 224, 224}));
  }
}

// The Fashion-MNIST experiments run here: their data path must exist.
TEST(ShippedExperimentsTest, FashionMnistExperimentsFindTheirData) {
  if (!llvm::sys::fs::is_directory("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "Fashion-MNIST is not installed";
  parseShipped("quickstart.toml", /*checkPaths=*/true);
  parseShipped("fashion_mnist.toml", /*checkPaths=*/true);
  parseShipped("fashion_mnist_warm.toml", /*checkPaths=*/true);
  parseShipped("fashion_mnist_he.toml", /*checkPaths=*/true);
}
} // namespace
