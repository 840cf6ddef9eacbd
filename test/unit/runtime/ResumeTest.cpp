// Checkpoints in the trainer: a run stopped at any batch boundary (or in a
// step's forward or backward pass, undone to the boundary before it, or in
// the ReLU fit, the batch-norm re-estimation or the evaluation) and resumed
// in a fresh module gives the numbers of a run never stopped, bit for bit.
// What else guards a run is ResumeGuardsTest.cpp.
#include "ResumeFixture.h"

#include "runtime/Stop.h"

namespace he::runtime::test {
namespace {
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
} // namespace
} // namespace he::runtime::test
