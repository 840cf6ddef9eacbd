// ReluFitOnInputs: the least-squares fit of ReLU by c1 x + ... + cd x^d (the
// constant held) against a hand-solved case, the closed form for Gaussian
// inputs, exact fits and inputs that determine nothing.
#include "runtime/ReluFitOnInputs.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

namespace he::runtime::test {
namespace {
// x = -1, 1, 2; relu = 0, 1, 2. Normal equations
//   [6 8; 8 18] [b; a] = [5; 9]  =>  b = 18/44, a = 14/44.
TEST(ReluFitOnInputsTest, ThreePointsByHand) {
  ReluFitOnInputs fit(2, 0.0);
  fit.add(torch::tensor({-1.0, 1.0}));
  fit.add(torch::tensor({{2.0f}})); // any shape, any float type, over batches
  auto c = fit.solve();
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 3u);
  EXPECT_EQ((*c)[0], 0.0);
  EXPECT_NEAR((*c)[1], 18.0 / 44.0, 1e-12);
  EXPECT_NEAR((*c)[2], 14.0 / 44.0, 1e-12);
}

// For x ~ N(0, s^2): b = E[relu(x) x] / E[x^2] = 1/2 and
// a = E[relu(x) x^2] / E[x^4] = (2 s^3 / sqrt(2 pi)) / (3 s^4) = 0.266 / s:
// the quadratic term grows as the inputs shrink.
TEST(ReluFitOnInputsTest, GaussianInputsGiveTheClosedForm) {
  torch::manual_seed(0);
  for (double s : {0.5, 2.0}) {
    ReluFitOnInputs fit(2, 0.0);
    fit.add(torch::randn({400000}, torch::kDouble) * s);
    auto c = fit.solve();
    ASSERT_TRUE(c);
    EXPECT_NEAR((*c)[1], 0.5, 0.01) << "s = " << s;
    EXPECT_NEAR((*c)[2] * s, 2.0 / std::sqrt(2 * M_PI) / 3.0, 0.01)
        << "s = " << s;
  }
}

// On non-negative inputs ReLU is x: fitted exactly at any degree; on
// non-positive ones it is 0.
TEST(ReluFitOnInputsTest, OneSidedInputsAreFitExactly) {
  ReluFitOnInputs positive(3, 0.0), negative(3, 0.0);
  positive.add(torch::linspace(0.1, 3, 50));
  negative.add(-torch::linspace(0.1, 3, 50));
  auto p = positive.solve(), n = negative.solve();
  ASSERT_TRUE(p && n);
  ASSERT_EQ(p->size(), 4u);
  EXPECT_NEAR((*p)[1], 1.0, 1e-6);
  EXPECT_NEAR((*p)[2], 0.0, 1e-6);
  EXPECT_NEAR((*p)[3], 0.0, 1e-6);
  for (double v : *n)
    EXPECT_NEAR(v, 0.0, 1e-6);
}

// The constant stays where it is and the rest fits relu - c0: on x >= 0
// with c0 = 1 the best c1 x + c2 x^2 for x - 1 is no longer exact, but
// c0 comes back unchanged.
TEST(ReluFitOnInputsTest, TheConstantIsHeld) {
  ReluFitOnInputs fit(2, 1.0);
  fit.add(torch::tensor({1.0, 2.0}));
  auto c = fit.solve();
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)[0], 1.0);
  // x = 1, 2 and target 0, 1: b + a = 0, 2b + 4a = 1 => a = 1/2, b = -1/2.
  EXPECT_NEAR((*c)[1], -0.5, 1e-9);
  EXPECT_NEAR((*c)[2], 0.5, 1e-9);
}

TEST(ReluFitOnInputsTest, InputsThatDetermineNothingGiveNoFit) {
  EXPECT_FALSE(ReluFitOnInputs(2, 0.0).solve()) << "nothing added";
  ReluFitOnInputs zeros(2, 0.0);
  zeros.add(torch::zeros({10}));
  EXPECT_FALSE(zeros.solve()) << "all zero";
  // One value, two powers: x and x^2 are proportional.
  ReluFitOnInputs one(2, 0.0);
  one.add(torch::full({10}, 2.0));
  EXPECT_FALSE(one.solve()) << "one distinct value";
  ReluFitOnInputs notFinite(2, 0.0);
  notFinite.add(torch::tensor({1.0, std::numeric_limits<double>::infinity()}));
  EXPECT_FALSE(notFinite.solve()) << "an infinite input";
}
} // namespace
} // namespace he::runtime::test
