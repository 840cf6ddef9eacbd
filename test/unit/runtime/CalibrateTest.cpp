// observeRanges: min, max and the 99.99th percentile of |x| of a network's
// input and of every step's result (runtime/Calibrate.h).
#include "IrFixture.h"

#include "runtime/Calibrate.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <string>

namespace he::runtime::test {
namespace {
using CalibrateTest = IrFixture;

constexpr const char *kSquare = R"(
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = he.poly_act %x coeffs [0.0, 0.0, 1.0] {name = "sq"} : tensor<?x4xf32>
  return %a : tensor<?x4xf32>
})";

Dataset rows(const torch::Tensor &values) {
  Dataset d;
  d.images = values.reshape({-1, 4}).to(torch::kFloat);
  d.labels = torch::zeros({d.images.size(0)}, torch::kLong);
  d.numClasses = 1;
  return d;
}

TEST_F(CalibrateTest, RangesOfTheInputAndEveryStep) {
  auto f = parse(kSquare);
  HeModule net(f);
  Dataset data = rows(torch::linspace(-100, 100, 20000));
  ObservedRanges r = observeRanges(net, data, 256, torch::kCPU);
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_FLOAT_EQ(r.input.min, -100);
  EXPECT_FLOAT_EQ(r.input.max, 100);
  EXPECT_NEAR(r.steps[0].min, 0, 1e-4); // 0 lies between two samples
  EXPECT_FLOAT_EQ(r.steps[0].max, 10000);
  // The exact percentile is about 99.99; the histogram's bin edge lies at
  // most a factor 2^(1/16) above it, and never above max |x|.
  EXPECT_GE(r.input.absP9999, 99.98);
  EXPECT_LE(r.input.absP9999, 100);
  EXPECT_GE(r.steps[0].absP9999, 9996);
  EXPECT_LE(r.steps[0].absP9999, 10000);
}

TEST_F(CalibrateTest, PercentileIgnoresRareOutliers) {
  auto f = parse(kSquare);
  HeModule net(f);
  torch::Tensor v = torch::ones({100000});
  v.slice(0, 0, 4).fill_(-1000); // 4 of 100,000 values: under 0.01%
  ObservedRanges r = observeRanges(net, rows(v), 1000, torch::kCPU);
  EXPECT_FLOAT_EQ(r.input.min, -1000);
  EXPECT_FLOAT_EQ(r.input.max, 1);
  EXPECT_GE(r.input.absP9999, 1);
  EXPECT_LE(r.input.absP9999, std::exp2(1.0 / 16));
}

TEST_F(CalibrateTest, RestoresTheModeAndStopsObserving) {
  auto f = parse(kSquare);
  HeModule net(f);
  net.train();
  observeRanges(net, rows(torch::ones({8})), 4, torch::kCPU);
  EXPECT_TRUE(net.is_training());
  // A forward afterwards calls no observer (it would touch a dead frame).
  EXPECT_NO_THROW(net.forward(torch::ones({2, 4})));
}
// he_cnn trained on at lr 1e7 with keep_going_on_nan produced NaN, and the
// histogram's bins (NaN cast to int64) made LibTorch fail with "bincount only
// supports 1-d non-negative integral inputs" and a backtrace.
TEST_F(CalibrateTest, NanIsRefusedNamingTheLayer) {
  // Horner's rule from the leading 0 gives 0 * inf = NaN for an infinite
  // input (which is itself a range).
  auto f = parse(R"(
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = he.poly_act %x coeffs [0.0, 1.0, 0.0, 0.0] {name = "bad"} : tensor<?x4xf32>
  return %a : tensor<?x4xf32>
})");
  HeModule net(f);
  torch::Tensor v = torch::ones({8});
  v[5] = std::numeric_limits<float>::infinity();
  try {
    observeRanges(net, rows(v), 4, torch::kCPU);
    FAIL() << "expected NonFiniteActivations";
  } catch (const NonFiniteActivations &e) {
    EXPECT_NE(std::string(e.what()).find("layer bad"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("NaN values on the 2 calibration "
                                         "images"),
              std::string::npos)
        << e.what();
  }
  v[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(observeRanges(net, rows(v), 4, torch::kCPU),
               NonFiniteActivations);
}

TEST_F(CalibrateTest, InfinitiesAreRanges) {
  auto f = parse(kSquare);
  HeModule net(f);
  torch::Tensor v = torch::ones({8});
  v[0] = -std::numeric_limits<float>::infinity();
  ObservedRanges r = observeRanges(net, rows(v), 4, torch::kCPU);
  EXPECT_TRUE(std::isinf(r.input.min));
  EXPECT_TRUE(std::isinf(r.steps[0].max));
}
} // namespace
} // namespace he::runtime::test
