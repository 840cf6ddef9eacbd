// Training-time augmentation: each transform does what it says per sample,
// draws depend on the seed alone, and pixel values stay those of an image.
#include "runtime/Augment.h"
#include "runtime/Error.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

namespace he::runtime {
namespace {

// Normalised as Fashion-MNIST is: pixel p in [0, 1] is (p - mean) / std.
constexpr double kMean = 0.2860, kStd = 0.3530;

AugmentOptions options() {
  AugmentOptions o;
  o.mean = {kMean};
  o.std = {kStd};
  return o;
}

torch::Tensor pixels(const torch::Tensor &normalised) {
  return normalised * kStd + kMean;
}

TEST(AugmentTest, NothingAskedIsNotEnabled) {
  EXPECT_FALSE(AugmentOptions().enabled());
  AugmentOptions o;
  o.rotation = 5;
  EXPECT_TRUE(o.enabled());
}

// Each sample is either itself or its mirror image, and both happen: left
// to right with hflip, upside down with vflip.
TEST(AugmentTest, FlipsMirrorAboutHalfTheSamples) {
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({64, 2, 5, 7});
  for (bool horizontal : {true, false}) {
    AugmentOptions o = options();
    o.hflip = horizontal;
    o.vflip = !horizontal;
    torch::Tensor y = augmentBatch(x, o, 42);
    int64_t axis = horizontal ? 2 : 1; // of a sample [C, H, W]
    int64_t flipped = 0;
    for (int64_t i = 0; i < x.size(0); ++i) {
      bool mirrored = torch::equal(y[i], x[i].flip({axis}));
      EXPECT_TRUE(mirrored || torch::equal(y[i], x[i]))
          << (horizontal ? "hflip" : "vflip") << ", sample " << i;
      flipped += mirrored;
    }
    EXPECT_GT(flipped, 16);
    EXPECT_LT(flipped, 48);
  }
}

TEST(AugmentTest, SameSeedSameBatchOtherSeedAnother) {
  torch::manual_seed(2);
  torch::Tensor x = torch::rand({16, 3, 8, 8});
  AugmentOptions o = options();
  o.mean = {0.5, 0.4, 0.3};
  o.std = {0.2, 0.25, 0.3};
  o.hflip = o.vflip = true;
  o.rotation = 30;
  o.colorJitter = 0.4;
  EXPECT_TRUE(torch::equal(augmentBatch(x, o, 5), augmentBatch(x, o, 5)));
  EXPECT_FALSE(torch::equal(augmentBatch(x, o, 5), augmentBatch(x, o, 6)));
}

// Epoch and batch are not interchangeable in the seed.
TEST(AugmentTest, SeedsOfNeighbouringBatchesDiffer) {
  EXPECT_NE(augmentSeed(1, 1, 2), augmentSeed(1, 2, 1));
  EXPECT_NE(augmentSeed(1, 1, 1), augmentSeed(2, 1, 1));
  EXPECT_EQ(augmentSeed(3, 4, 5), augmentSeed(3, 4, 5));
}

// A white square turned about its centre: the centre pixel stays white,
// and what comes in at the corners is black, not the data set's mean.
TEST(AugmentTest, RotationKeepsTheCentreAndFillsCornersWithBlack) {
  torch::Tensor white = torch::full({64, 1, 9, 9}, (1 - kMean) / kStd);
  AugmentOptions o = options();
  o.rotation = 45;
  torch::Tensor p = pixels(augmentBatch(white, o, 3));
  EXPECT_TRUE(torch::allclose(p.select(2, 4).select(2, 4), torch::ones({64, 1}),
                              1e-5, 1e-5));
  EXPECT_GE(p.min().item<double>(), -1e-5);
  EXPECT_LE(p.max().item<double>(), 1 + 1e-5);
  // Turned by more than a few degrees, a corner pixel's centre leaves the
  // square; over 64 draws in [-45, 45] most corners are mostly black.
  EXPECT_LT(p.select(2, 0).select(2, 0).mean().item<double>(), 0.5);
}

TEST(AugmentTest, RotationKeepsNonSquareShapes) {
  torch::Tensor x = torch::rand({4, 3, 6, 10});
  AugmentOptions o = options();
  o.rotation = 10;
  EXPECT_EQ(augmentBatch(x, o, 1).sizes(), x.sizes());
}

// On a flat grey image contrast and saturation change nothing, so each
// sample is grey * its brightness factor, in [1 - j, 1 + j].
TEST(AugmentTest, ColorJitterScalesBrightnessPerSample) {
  double grey = 0.5, j = 0.4;
  torch::Tensor x = torch::full({32, 3, 4, 4}, (grey - kMean) / kStd);
  AugmentOptions o = options();
  o.colorJitter = j;
  torch::Tensor p = pixels(augmentBatch(x, o, 9));
  torch::Tensor perSample = p.amax({1, 2, 3});
  EXPECT_TRUE(torch::allclose(p.amin({1, 2, 3}), perSample, 1e-5, 1e-5))
      << "each sample stays flat";
  EXPECT_GE(perSample.min().item<double>(), grey * (1 - j) - 1e-5);
  EXPECT_LE(perSample.max().item<double>(), grey * (1 + j) + 1e-5);
  EXPECT_GT((perSample.max() - perSample.min()).item<double>(), 0.05)
      << "the factor is drawn per sample";
}

TEST(AugmentTest, ColorJitterKeepsPixelsInRange) {
  torch::manual_seed(3);
  torch::Tensor x = (torch::rand({32, 1, 8, 8}) - kMean) / kStd;
  AugmentOptions o = options();
  o.colorJitter = 0.9;
  torch::Tensor p = pixels(augmentBatch(x, o, 4));
  EXPECT_GE(p.min().item<double>(), -1e-5);
  EXPECT_LE(p.max().item<double>(), 1 + 1e-5);
}

TEST(AugmentTest, BadShapesAreErrors) {
  AugmentOptions o = options();
  o.hflip = true;
  o.mean = {0.1, 0.2};
  o.std = {1, 1};
  try {
    augmentBatch(torch::zeros({2, 3, 4, 4}), o, 0);
    FAIL() << "no error for 2 means and 3 channels";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "augment: 2 values of mean for 3 channels");
  }
  EXPECT_THROW(augmentBatch(torch::zeros({3, 4, 4}), o, 0), Error);
}
} // namespace
} // namespace he::runtime
