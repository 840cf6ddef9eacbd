// What a sweep tells its Reporter: the runs and the sweep print nothing
// themselves (docs/design.md, "The driver"), so a recording Reporter sees
// every step of a run, and the console's warning goes through it.
#include "tools/hec/Reporter.h"
#include "test/unit/hec/ExperimentText.h"
#include "tools/hec/RunState.h"
#include "tools/hec/Sweep.h"

#include "lib/Frontend/Zoo.h"
#include "lib/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <limits>

using namespace hec;

namespace {
struct RecordingReporter : Reporter {
  std::vector<std::string> events;
  int64_t batches = 0;

  void sweepStarted(int64_t runs, int64_t epochsPerRun) override {
    events.push_back(fmt::format("sweep {}x{}", runs, epochsPerRun));
  }
  void warning(const std::string &text) override {
    events.push_back("warning " + text);
  }
  void runSkipped(const std::string &label, bool diverged) override {
    events.push_back("skipped " + label);
  }
  void runStarting(const std::string &label, int64_t trainImages,
                   int64_t evalImages, const std::string &split) override {
    events.push_back(fmt::format("starting {} {} {} {}", label, trainImages,
                                 evalImages, split));
  }
  void batch(const std::string &, int, int, int64_t, int64_t, double) override {
    ++batches;
  }
  void epoch(const std::string &label, const EpochReport &e) override {
    events.push_back(
        fmt::format("epoch {} {}/{}", label, e.metrics.epoch, e.epochs));
  }
  void runFailed(const std::string &label,
                 const std::string &message) override {
    events.push_back("failed " + label + ": " + message);
  }
  void runDone(const std::string &label, const RunRecord &r,
               const std::string &split, int64_t classes) override {
    events.push_back(fmt::format("done {} depth {}", label,
                                 r.depth ? std::to_string(*r.depth) : "none"));
  }
  void runEnded() override { events.push_back("ended"); }
};

std::string tempFolder(const char *prefix) {
  llvm::SmallString<128> dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory(prefix, dir));
  return dir.str().str();
}

TEST(ReporterTest, ASweepTellsItsReporterEveryStep) {
  he::frontend::Experiment exp = test::parseExperimentText(R"(
methods = ["baseline", "square"]
[data]
kind = "synthetic"
image_size = [1, 8, 8]
[data.synthetic]
classes = 3
train_size = 32
test_size = 16
[model]
name = ")" HEC_SOURCE_DIR R"(/test/hec/Inputs/tiny_net.mlir"
[training]
batch_size = 16
epochs = 1
seeds = [7]
threads = 1
)");
  he::registerHePasses(); // as hec's main does
  mlir::registerCanonicalizerPass();
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> network =
      he::frontend::buildExperimentModel(exp, context);
  ASSERT_TRUE(network);
  Splits data = loadExperimentData(exp);
  std::string out = tempFolder("hec-reporter");
  RecordingReporter reporter;
  SweepOptions options;
  options.outDir = out;
  options.reporter = &reporter;
  std::vector<RunRecord> runs = runSweep(exp, *network, data, options);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(reporter.events,
            (std::vector<std::string>{
                "sweep 2x1",
                "starting [baseline seed 7] 32 16 test",
                "epoch [baseline seed 7] 1/1",
                "done [baseline seed 7] depth none",
                "ended",
                "starting [square seed 7] 32 16 test",
                "epoch [square seed 7] 1/1",
                "done [square seed 7] depth " + std::to_string(*runs[1].depth),
                "ended",
            }));
  EXPECT_EQ(reporter.batches, 4); // two batches per run

  // Again with --resume: both found finished, told as skipped.
  reporter.events.clear();
  options.resume = true;
  runSweep(exp, *network, data, options);
  EXPECT_EQ(reporter.events, (std::vector<std::string>{
                                 "sweep 2x1", "skipped [baseline seed 7]",
                                 "ended", "skipped [square seed 7]", "ended"}));
  llvm::sys::fs::remove_directories(out);
}

// A run folder short of space is a warning for the Reporter: the check
// returns it instead of printing, and the console prints it on stderr.
TEST(ReporterTest, ShortOfSpaceIsAWarningForTheReporter) {
  std::string out = tempFolder("hec-space");
  EXPECT_EQ(checkOutputFolder(out, 16, 16), std::nullopt);
  std::optional<std::string> warning =
      checkOutputFolder(out, 16, std::numeric_limits<uint64_t>::max());
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->rfind(out + " has ", 0), 0u) << *warning;
  EXPECT_NE(warning->find(" free; the sweep may write about "),
            std::string::npos)
      << *warning;

  std::unique_ptr<Reporter> console = makeConsoleReporter();
  testing::internal::CaptureStderr();
  console->warning(*warning);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "hec: warning: " + *warning + "\n");
  llvm::sys::fs::remove_directories(out);
}
} // namespace
