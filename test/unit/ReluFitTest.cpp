// The ReLU fit must satisfy the least-squares normal equations: the error
// p(x) - relu(x) is orthogonal to every x^j, j <= degree, on [-r, r].
#include "lib/Transforms/ReplaceActivations/ReluFit.h"

#include "llvm/ADT/ArrayRef.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {
// ∫_{-r}^{r} (p(x) - relu(x)) x^j dx, computed exactly from the monomials.
double residualMoment(llvm::ArrayRef<double> p, unsigned j, double r) {
  double moment = -std::pow(r, j + 2) / (j + 2);
  for (unsigned k = 0; k < p.size(); ++k)
    if ((k + j) % 2 == 0)
      moment += p[k] * 2 * std::pow(r, k + j + 1) / (k + j + 1);
  return moment;
}

TEST(ReluFit, SatisfiesNormalEquations) {
  for (double r : {0.5, 1.0, 5.0})
    for (unsigned degree : {1u, 2u, 3u, 4u, 6u, 8u}) {
      llvm::SmallVector<double> p = he::fitRelu(degree, r);
      ASSERT_EQ(p.size(), degree + 1);
      for (unsigned j = 0; j <= degree; ++j)
        EXPECT_NEAR(residualMoment(p, j, r), 0.0, 1e-9 * std::pow(r, j + 2))
            << "degree " << degree << ", range " << r << ", x^" << j;
    }
}

TEST(ReluFit, DegreeTwoOnUnitInterval) {
  // 3/32 + x/2 + 15/32 x^2, by hand from the Legendre expansion.
  llvm::SmallVector<double> p = he::fitRelu(2, 1.0);
  EXPECT_DOUBLE_EQ(p[0], 3.0 / 32);
  EXPECT_DOUBLE_EQ(p[1], 0.5);
  EXPECT_DOUBLE_EQ(p[2], 15.0 / 32);
}

TEST(ReluFit, OddPowersAboveOneAreZero) {
  // relu(x) - x/2 = |x|/2 is even.
  llvm::SmallVector<double> p = he::fitRelu(7, 3.0);
  for (unsigned k : {3u, 5u, 7u})
    EXPECT_EQ(p[k], 0.0) << "x^" << k;
}
} // namespace
