// Checkpoints in the trainer: a run stopped at any batch boundary (or in a
// step's forward or backward pass, undone to the boundary before it) and
// resumed in a fresh module gives the numbers of a run never stopped, bit
// for bit; a checkpoint of another run is refused; a run that diverges
// keeps its last good checkpoint; keep_going_on_nan skips bad batches.
#include "IrFixture.h"

#include "runtime/Checkpoint.h"
#include "runtime/HeModule.h"
#include "runtime/Stop.h"
#include "runtime/Trainer.h"

#include <torch/torch.h>

#include <filesystem>
#include <unistd.h>

namespace he::runtime::test {
namespace {
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

TEST_F(ResumeTest, StoppedAnywhereAndResumedGivesTheSameNumbers) {
  std::unique_ptr<HeModule> whole = fresh();
  TrainOptions o = options();
  o.checkpointPath.clear();
  int polls = 0;
  o.stopRequested = [&] {
    ++polls;
    return false;
  };
  RunResult reference = train(*whole, trainSet, testSet, o);
  ASSERT_FALSE(reference.diverged) << reference.message;

  // Each of the 3 epochs polls before each of its 10 batches, once at its
  // end, and inside each batch's step: before each op of the forward pass
  // and of the backward pass.
  PollCount c = countPolls(polls, 3, 10);
  int forwardOps = int(whole->observedStepCount());
  EXPECT_GT(c.perBatch, forwardOps) << "the backward pass is polled too";
  EXPECT_LE(c.perBatch, 2 * forwardOps);

  // Every poll of batch 3 of epoch 2 (lambda moving within the epoch, the
  // fit done), and every 7th poll of the run: before batch 1 of epoch 1,
  // either side of the fit, mid-epoch, at the end of an epoch, inside a
  // forward or a backward pass; each time resumed in a fresh module
  // (another process would start from the same seeded module).
  std::vector<int> stops;
  int batch3 = c.perEpoch + 2 * (c.perBatch + 1);
  for (int i = 0; i <= c.perBatch; ++i)
    stops.push_back(batch3 + i);
  for (int i = 0; i < c.total; i += 7)
    stops.push_back(i);
  stops.push_back(c.perEpoch - 1); // the end of epoch 1
  stops.push_back(c.total - 1);    // the end of the run
  o = options();
  for (int stopAt : stops)
    expectStopAndResumeExact([this] { return fresh(); }, o, nullptr, stopAt,
                             reference, *whole);
}

// Inside a step, with what a forward in train mode changes besides
// torch's generator (a batch norm's running statistics) and a teacher's
// forward pass polled too: the step is undone to its batch boundary and
// the resumed run gives the numbers of one never stopped.
TEST_F(ResumeTest, StoppedInsideAStepWithBatchNormAndTeacherResumesExactly) {
  std::unique_ptr<HeModule> teacher = freshWithBatchNorm();
  TrainOptions o = options();
  o.kd.enabled = true;
  o.checkpointPath.clear();
  int polls = 0;
  o.stopRequested = [&] {
    ++polls;
    return false;
  };
  std::unique_ptr<HeModule> whole = freshWithBatchNorm();
  RunResult reference = train(*whole, trainSet, testSet, o, teacher.get());
  ASSERT_FALSE(reference.diverged) << reference.message;
  PollCount c = countPolls(polls, 3, 10);
  // The model's forward and backward, the teacher's forward.
  EXPECT_GT(c.perBatch, 2 * int(whole->observedStepCount()));

  // Every poll inside the first batch and inside the last (short) one.
  std::vector<int> stops;
  for (int i = 1; i <= c.perBatch; ++i) {
    stops.push_back(i);
    stops.push_back(c.total - 1 - c.perBatch - 1 + i);
  }
  o = options();
  o.kd.enabled = true;
  for (int stopAt : stops)
    expectStopAndResumeExact([this] { return freshWithBatchNorm(); }, o,
                             teacher.get(), stopAt, reference, *whole);
}

// Between batch boundaries: the ReLU fit before an epoch's first batch, and
// the batch-norm re-estimation and the evaluation after its last poll the
// process's stop poll (runtime/Stop.h) before each of their batches. A stop
// there ends the run at once, with the checkpoint of the boundary before
// it; resumed, the run gives the numbers of one never stopped.
TEST_F(ResumeTest, StoppedInTheFitReestimationOrEvaluationResumesExactly) {
  auto withBatchNorm = [this] { return freshWithBatchNorm(); };
  struct Poll {
    explicit Poll(std::function<bool()> p) { setStopPoll(std::move(p)); }
    ~Poll() { setStopPoll({}); }
  };
  TrainOptions o = options();
  o.reestimateBatchNorm = true;
  o.evalBatchSize = 16; // 48 test images: 3 batches
  o.checkpointPath.clear();
  std::unique_ptr<HeModule> whole = withBatchNorm();
  int polls = 0;
  RunResult reference;
  {
    Poll count([&] {
      ++polls;
      return false;
    });
    reference = train(*whole, trainSet, testSet, o);
  }
  ASSERT_FALSE(reference.diverged) << reference.message;
  // Each of the 3 epochs: 10 batches re-estimated, 3 evaluated; the fit at
  // the start of epoch 2 (e0): one batch of its 256 images.
  ASSERT_EQ(polls, 3 * (10 + 3) + 1);

  for (int stopAt = 0; stopAt < polls; ++stopAt) {
    SCOPED_TRACE("stopped at poll " + std::to_string(stopAt));
    std::unique_ptr<HeModule> first = withBatchNorm();
    TrainOptions a = options();
    a.reestimateBatchNorm = true;
    a.evalBatchSize = 16;
    fs::remove(a.checkpointPath);
    int seen = 0;
    RunResult stopped;
    {
      Poll stop([&] { return seen++ == stopAt; });
      stopped = train(*first, trainSet, testSet, a);
    }
    ASSERT_TRUE(stopped.interrupted);
    EXPECT_EQ(seen, stopAt + 1) << "polled again after the stop";
    Checkpoint ck = readCheckpoint(a.checkpointPath);
    CheckpointProgress progress = checkpointProgress(ck);
    EXPECT_EQ(progress.epochs.size(), stopped.epochs.size());
    // At a boundary: before the epoch's first batch (the fit) or after its
    // last (re-estimation, evaluation).
    EXPECT_TRUE(progress.batch == 0 || progress.batch == 10) << progress.batch;

    torch::rand({17});
    std::unique_ptr<HeModule> second = withBatchNorm();
    TrainOptions b = options();
    b.reestimateBatchNorm = true;
    b.evalBatchSize = 16;
    b.resume = &ck;
    RunResult resumed = train(*second, trainSet, testSet, b);
    EXPECT_FALSE(resumed.interrupted);
    expectSame(reference, resumed);
    expectSameParameters(*whole, *second);
  }
}

TEST_F(ResumeTest, ACheckpointOfAnotherRunIsRefused) {
  std::unique_ptr<HeModule> m = fresh();
  TrainOptions o = options();
  o.epochs = 1;
  train(*m, trainSet, testSet, o);
  Checkpoint ck = readCheckpoint(o.checkpointPath);

  TrainOptions other = options();
  other.seed = 10;
  other.resume = &ck;
  std::unique_ptr<HeModule> n = fresh();
  try {
    train(*n, trainSet, testSet, other);
    ADD_FAILURE() << "resumed with another seed";
  } catch (const CheckpointError &e) {
    EXPECT_NE(std::string(e.what()).find("train.seed = 9, this run has 10"),
              std::string::npos)
        << e.what();
  }

  // Another network: its parameters do not fit.
  torch::manual_seed(4);
  HeModule relu(parse(tinyNet(TinyAct::Relu)));
  TrainOptions plain = options();
  plain.resume = &ck;
  try {
    train(relu, trainSet, testSet, plain);
    ADD_FAILURE() << "resumed another network";
  } catch (const CheckpointError &e) {
    EXPECT_NE(std::string(e.what()).find(o.checkpointPath), std::string::npos)
        << e.what();
  }
}

// Epoch 1 trains on clean data and checkpoints; epoch 2, resumed on data
// gone non-finite, diverges: the run reports where, and the epoch-1
// checkpoint is still there, byte for byte.
TEST_F(ResumeTest, DivergenceKeepsTheLastGoodCheckpoint) {
  std::unique_ptr<HeModule> m = fresh();
  TrainOptions o = options();
  o.epochs = 1;
  ASSERT_FALSE(train(*m, trainSet, testSet, o).diverged);
  Checkpoint ck = readCheckpoint(o.checkpointPath);
  auto bytes = ck.encode();

  Dataset poisoned = trainSet;
  poisoned.images =
      trainSet.images.clone().fill_(std::numeric_limits<float>::quiet_NaN());
  TrainOptions again = options();
  again.epochs = 2;
  again.resume = &ck;
  std::unique_ptr<HeModule> n = fresh();
  RunResult r = train(*n, poisoned, testSet, again);
  EXPECT_TRUE(r.diverged);
  EXPECT_NE(r.message.find("epoch 2, batch 1: layer conv1 ("),
            std::string::npos)
      << r.message;
  EXPECT_EQ(readCheckpoint(o.checkpointPath).encode(), bytes);
}

// keep_going_on_nan: the batches with a non-finite loss are skipped (no
// update, counted), the others train.
TEST_F(ResumeTest, KeepGoingOnNanSkipsTheBadBatches) {
  Dataset mixed = trainSet;
  mixed.images = trainSet.images.clone();
  mixed.images[5].fill_(std::numeric_limits<float>::infinity());
  TrainOptions o = options();
  o.checkpointPath.clear();
  o.epochs = 2;
  std::unique_ptr<HeModule> stops = fresh();
  EXPECT_TRUE(train(*stops, mixed, testSet, o).diverged);

  o.keepGoingOnNan = true;
  std::unique_ptr<HeModule> goesOn = fresh();
  RunResult r = train(*goesOn, mixed, testSet, o);
  EXPECT_FALSE(r.diverged) << r.message;
  ASSERT_EQ(r.epochs.size(), 2u);
  // One bad image spoils exactly one batch per epoch.
  EXPECT_EQ(r.epochs[0].skippedBatches, 1);
  EXPECT_EQ(r.epochs[1].skippedBatches, 1);
  EXPECT_TRUE(std::isfinite(r.epochs[1].loss));
  for (const auto &p : goesOn->parameters())
    EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
}
} // namespace
} // namespace he::runtime::test
