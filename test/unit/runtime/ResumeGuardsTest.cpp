// What guards a run besides resuming exactly (ResumeTest.cpp): a
// checkpoint of another run is refused; a run that diverges keeps its last
// good checkpoint; keep_going_on_nan skips bad batches.
#include "ResumeFixture.h"

namespace he::runtime::test {
namespace {
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
