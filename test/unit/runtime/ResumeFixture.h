// The resume tests' fixture: the blend network with dropout (and one with
// a batch norm), seeded as the sweep builds them, options that exercise
// everything a checkpoint must bring back, and the checks that two runs
// gave the same numbers and weights, bit for bit.
#ifndef HE_TEST_UNIT_RUNTIME_RESUMEFIXTURE_H
#define HE_TEST_UNIT_RUNTIME_RESUMEFIXTURE_H

#include "IrFixture.h"

#include "runtime/Checkpoint.h"
#include "runtime/HeModule.h"
#include "runtime/Trainer.h"

#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <unistd.h>

namespace he::runtime::test {
namespace fs = std::filesystem;

struct ResumeTest : IrFixture {
  ResumeTest() {
    dir = fs::temp_directory_path() /
          ("he-resume-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  ~ResumeTest() override { fs::remove_all(dir); }

  // A fresh module of the blend network with dropout (so that torch's
  // generator matters), as the sweep builds one: seeded.
  std::unique_ptr<HeModule> fresh() { return withDropoutAfter("", "%p"); }

  // fresh() with a batch norm before the dropout: a forward in train mode
  // changes its running statistics.
  std::unique_ptr<HeModule> freshWithBatchNorm() {
    std::string bn = "tensor<4xf32>";
    return withDropoutAfter(
        "  %g = he.param \"bn.weight\" : " + bn +
            "\n  %s = he.param \"bn.bias\" : " + bn +
            "\n  %m = he.param \"bn.running_mean\" buffer : " + bn +
            "\n  %v = he.param \"bn.running_var\" buffer : " + bn +
            "\n  %n = he.batch_norm %p, %g, %s, %m, %v {name = \"bn\"} "
            ": tensor<?x4x4x4xf32>, " +
            bn + "\n",
        "%n");
  }

  // The blend network with `ops` before its flatten and a dropout of
  // `input` feeding the flatten; seeded.
  std::unique_ptr<HeModule> withDropoutAfter(const std::string &ops,
                                             const std::string &input) {
    std::string ir = tinyNet(TinyAct::Blend);
    std::string flatten = "  %f = he.flatten %p";
    ir.replace(ir.find(flatten), flatten.size(),
               ops + "  %pd = he.dropout " + input +
                   " {p = 0.3} : tensor<?x4x4x4xf32>\n"
                   "  %f = he.flatten %pd");
    torch::manual_seed(4);
    auto m = std::make_unique<HeModule>(parse(ir));
    m->setCoefficientScales({1.0, 1.0, 0.5});
    return m;
  }

  // Stops `build()`'s module trained with `o` at the poll numbered `stopAt`
  // of o.stopRequested, resumes it from its checkpoint in another module
  // and expects the numbers and weights of `reference` and `whole`.
  void expectStopAndResumeExact(
      const std::function<std::unique_ptr<HeModule>()> &build,
      const TrainOptions &o, HeModule *teacher, int stopAt,
      const RunResult &reference, HeModule &whole) {
    SCOPED_TRACE("stopped at poll " + std::to_string(stopAt));
    fs::remove(o.checkpointPath);
    std::unique_ptr<HeModule> first = build();
    TrainOptions a = o;
    int polls = 0;
    a.stopRequested = [&] { return polls++ == stopAt; };
    RunResult stopped = train(*first, trainSet, testSet, a, teacher);
    ASSERT_TRUE(stopped.interrupted);
    EXPECT_EQ(polls, stopAt + 1) << "polled again after the stop";
    Checkpoint ck = readCheckpoint(a.checkpointPath);
    EXPECT_EQ(ck.getString("info.run"), "test");
    CheckpointProgress progress = checkpointProgress(ck);
    EXPECT_EQ(progress.epochs.size(), stopped.epochs.size());

    // Something else uses torch's generator in between: the checkpoint
    // restores it.
    torch::rand({17});
    std::unique_ptr<HeModule> second = build();
    TrainOptions b = o;
    b.resume = &ck;
    RunResult resumed = train(*second, trainSet, testSet, b, teacher);
    EXPECT_FALSE(resumed.interrupted);
    expectSame(reference, resumed);
    expectSameParameters(whole, *second);
  }

  // How often a run polls: `perBatch` inside each batch's step, besides
  // the poll before each batch and the one at each epoch's end.
  struct PollCount {
    int total = 0, perEpoch = 0, perBatch = 0;
  };
  static PollCount countPolls(int total, int epochs, int batches) {
    PollCount c;
    c.total = total;
    c.perEpoch = total / epochs;
    c.perBatch = (c.perEpoch - batches - 1) / batches;
    EXPECT_EQ(c.perEpoch * epochs, total);
    EXPECT_EQ(c.perBatch * batches + batches + 1, c.perEpoch);
    return c;
  }

  TrainOptions options() {
    TrainOptions o;
    o.epochs = 3;
    o.batchSize = 10; // 96 images: 10 batches, the last one short
    o.lr = 0.01;
    o.coeffLr = 0.002;
    o.seed = 9;
    o.threads = 1;
    o.useTransition = true;
    o.e0 = 2;
    o.d = 2;
    o.poolMode = PoolMode::Smooth;
    // Lambda that moves within an epoch must be right after a mid-epoch stop.
    o.lambdaPerBatch = true;
    // A rate that changes per epoch must come back with the epoch.
    o.lrSchedule = LrSchedule::Cosine;
    // The epoch's gradient-norm sums must come back after a mid-epoch stop.
    o.gradClip = 1.0;
    // Augmented batches must be drawn again the same after a stop.
    o.augment.hflip = true;
    o.augment.rotation = 15;
    // The fit at the start of e0 must happen once, also when a run stops
    // around it.
    o.fitPolynomials = true;
    o.checkpointPath = (dir / "ck.hec").string();
    o.checkpointInfo = {{"run", "test"}};
    return o;
  }

  static void expectSame(const RunResult &a, const RunResult &b) {
    ASSERT_EQ(a.epochs.size(), b.epochs.size());
    for (size_t i = 0; i < a.epochs.size(); ++i) {
      SCOPED_TRACE("epoch " + std::to_string(i + 1));
      EXPECT_EQ(a.epochs[i].epoch, b.epochs[i].epoch);
      EXPECT_EQ(a.epochs[i].loss, b.epochs[i].loss);
      EXPECT_EQ(a.epochs[i].trainAccuracy, b.epochs[i].trainAccuracy);
      EXPECT_EQ(a.epochs[i].testAccuracy, b.epochs[i].testAccuracy);
      EXPECT_EQ(a.epochs[i].lambda, b.epochs[i].lambda);
      EXPECT_EQ(a.epochs[i].lr, b.epochs[i].lr);
      EXPECT_EQ(a.epochs[i].poolLambda, b.epochs[i].poolLambda);
      EXPECT_EQ(a.epochs[i].coefficients, b.epochs[i].coefficients);
      EXPECT_EQ(a.epochs[i].gradNormMean, b.epochs[i].gradNormMean);
      EXPECT_EQ(a.epochs[i].gradNormMax, b.epochs[i].gradNormMax);
      EXPECT_EQ(a.epochs[i].clippedBatches, b.epochs[i].clippedBatches);
    }
    EXPECT_EQ(a.testAccuracy, b.testAccuracy);
    EXPECT_EQ(a.testMacroF1, b.testMacroF1);
  }

  static void expectSameParameters(HeModule &a, HeModule &b) {
    auto pa = a.named_parameters(), pb = b.named_parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (size_t i = 0; i < pa.size(); ++i)
      EXPECT_TRUE(torch::equal(pa[i].value(), pb[i].value())) << pa[i].key();
    auto ba = a.named_buffers(), bb = b.named_buffers();
    for (size_t i = 0; i < ba.size(); ++i)
      EXPECT_TRUE(torch::equal(ba[i].value(), bb[i].value())) << ba[i].key();
  }

  Dataset trainSet = syntheticDataset(96, 1, 8, 8, 3, 11, 0);
  Dataset testSet = syntheticDataset(48, 1, 8, 8, 3, 11, 1);
  fs::path dir;
};
} // namespace he::runtime::test

#endif
