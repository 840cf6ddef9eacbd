// The splits hec trains and evaluates on: data.validation holds out the last
// training images, before train_subset applies, and the test split is
// then not used.
#include "tools/hec/ExperimentData.h"

#include "runtime/Error.h"

#include <gtest/gtest.h>

using namespace he;

namespace {
frontend::Experiment syntheticExperiment(int64_t validation,
                                         int64_t trainSubset = 0) {
  frontend::Experiment e;
  e.file = "x.toml";
  e.data.kind = frontend::DataKind::Synthetic;
  e.data.imageSize = {1, 4, 4};
  e.data.synthetic = {/*classes=*/3, /*trainSize=*/40, /*testSize=*/10};
  e.model.classes = 3;
  e.data.validation = validation;
  e.data.trainSubset = trainSubset;
  return e;
}

// `part` holds images [from, from + n) of `whole`, labels included.
void expectSlice(const runtime::Dataset &part, const runtime::Dataset &whole,
                 int64_t from, int64_t n) {
  ASSERT_EQ(part.size(), n);
  EXPECT_TRUE(part.images.equal(whole.images.slice(0, from, from + n)));
  EXPECT_TRUE(part.labels.equal(whole.labels.slice(0, from, from + n)));
}

TEST(ExperimentDataTest, WithoutValidationRunsAreEvaluatedOnTheTestSplit) {
  hec::Splits s = hec::loadExperimentData(syntheticExperiment(0));
  EXPECT_EQ(s.evaluated, "test");
  EXPECT_EQ(s.train.size(), 40);
  EXPECT_EQ(s.test.size(), 10);
}

TEST(ExperimentDataTest, ValidationHoldsOutTheLastTrainingImages) {
  hec::Splits whole = hec::loadExperimentData(syntheticExperiment(0));
  hec::Splits s = hec::loadExperimentData(syntheticExperiment(8));
  EXPECT_EQ(s.evaluated, "validation");
  expectSlice(s.train, whole.train, 0, 32);
  expectSlice(s.test, whole.train, 32, 8);
}

// train_subset counts from the first image of what is left, so a run with
// a validation split trains on the same images as one without.
TEST(ExperimentDataTest, TrainSubsetAppliesAfterTheHoldOut) {
  hec::Splits whole = hec::loadExperimentData(syntheticExperiment(0));
  hec::Splits s = hec::loadExperimentData(syntheticExperiment(8, 10));
  expectSlice(s.train, whole.train, 0, 10);
  expectSlice(s.test, whole.train, 32, 8);
}

TEST(ExperimentDataTest, HoldingOutEveryImageIsAnError) {
  try {
    hec::loadExperimentData(syntheticExperiment(40));
    FAIL() << "expected an error";
  } catch (const runtime::Error &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "x.toml: data.validation holds out 40 images but the "
                  "training split of the data set has only 40"),
              std::string::npos)
        << e.what();
  }
}
} // namespace
