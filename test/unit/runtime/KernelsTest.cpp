// The fused activation kernels give the values and gradients (in the input
// and in the coefficients) of the composed torch ops.
#include "runtime/Kernels.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

namespace he::runtime {
namespace {
struct Case {
  std::vector<double> coeffs;
  double lambda;
  bool blend;
  std::vector<int64_t> shape;
};

void expectClose(const torch::Tensor &got, const torch::Tensor &want,
                 const char *what) {
  ASSERT_EQ(got.sizes(), want.sizes()) << what;
  EXPECT_TRUE(torch::allclose(got, want, /*rtol=*/1e-5, /*atol=*/1e-6))
      << what << ": max difference " << (got - want).abs().max().item<double>();
}

void checkAgainstComposition(const Case &c) {
  torch::manual_seed(7);
  torch::Tensor x0 = torch::randn(c.shape) * 2;
  // Some exact zeros: relu's derivative there is 0 in both.
  x0.view(-1).slice(0, 0, 5).zero_();
  torch::Tensor upstream = torch::randn(c.shape);
  torch::Tensor c0 = torch::tensor(c.coeffs, torch::kDouble).to(torch::kFloat);

  auto run = [&](bool fused) {
    torch::Tensor x = x0.clone().requires_grad_(true);
    torch::Tensor coeffs = c0.clone().requires_grad_(true);
    torch::Tensor y =
        c.blend ? (fused ? blendReluPoly(x, coeffs, c.lambda)
                         : blendReluPolyComposed(x, coeffs, c.lambda))
                : (fused ? polyAct(x, coeffs) : polyActComposed(x, coeffs));
    (y * upstream).sum().backward();
    return std::make_tuple(y.detach(), x.grad(), coeffs.grad());
  };
  auto [y, gx, gc] = run(true);
  auto [yRef, gxRef, gcRef] = run(false);
  expectClose(y, yRef, "value");
  expectClose(gx, gxRef, "input gradient");
  // Coefficient gradients are sums over all elements: compare relative to
  // their size.
  EXPECT_TRUE(
      torch::allclose(gc, gcRef, 1e-5, 1e-5 * gcRef.abs().max().item<double>()))
      << "coefficient gradient " << gc << " vs " << gcRef;
}

TEST(KernelsTest, PolyMatchesCompositionForDegreeTwoAndThree) {
  for (auto coeffs : {std::vector<double>{0.1, 0.5, 0.25},
                      std::vector<double>{-0.2, 0.7, 0.05, -0.01}})
    checkAgainstComposition({coeffs, 1.0, false, {4, 3, 5, 5}});
}

TEST(KernelsTest, BlendMatchesCompositionForEachLambdaAndDegree) {
  for (auto coeffs : {std::vector<double>{0.0, 0.5, 0.25},
                      std::vector<double>{0.3, -0.7, 0.05, 0.02}})
    for (double lambda : {0.0, 0.3, 1.0}) {
      SCOPED_TRACE(::testing::Message()
                   << "lambda " << lambda << " degree " << coeffs.size() - 1);
      checkAgainstComposition({coeffs, lambda, true, {4, 3, 5, 5}});
    }
}

// More elements than one block of the CPU kernel: the partial sums of the
// coefficient gradients are combined across blocks.
TEST(KernelsTest, ManyBlocksMatchComposition) {
  checkAgainstComposition({{0.0, 0.5, 0.25}, 0.3, true, {5, 8, 32, 32}});
}

TEST(KernelsTest, NonContiguousInputMatchesComposition) {
  torch::Tensor x = torch::randn({6, 4}).t();
  torch::Tensor c = torch::tensor({0.5f, -1.0f, 0.25f});
  EXPECT_TRUE(torch::allclose(blendReluPoly(x, c, 0.3),
                              blendReluPolyComposed(x, c, 0.3), 1e-5, 1e-6));
}

// A known value: 0.5*relu(x) + 0.5*(1 + 2x + 3x^2) at x = -1 and 2.
TEST(KernelsTest, HandComputedValues) {
  torch::Tensor x = torch::tensor({-1.0f, 2.0f});
  torch::Tensor c = torch::tensor({1.0f, 2.0f, 3.0f});
  torch::Tensor y = blendReluPoly(x, c, 0.5);
  EXPECT_FLOAT_EQ(y[0].item<float>(), 0.5f * 2.0f);
  EXPECT_FLOAT_EQ(y[1].item<float>(), 0.5f * 2.0f + 0.5f * 17.0f);
  EXPECT_FLOAT_EQ(polyAct(x, c)[1].item<float>(), 17.0f);
}
// The tile pool is at::avg_pool2d with kernel = stride, values and input
// gradient: 2x2 on even and odd sizes (floor mode drops the last row and
// column, whose gradient is then 0), a 3x2 tile, a divisor override and a
// non-contiguous input.
TEST(KernelsTest, TileAvgPoolMatchesAvgPool) {
  struct PoolCase {
    std::vector<int64_t> shape;
    std::array<int64_t, 2> kernel;
    std::optional<int64_t> divisor;
    bool transpose;
  };
  for (const PoolCase &c :
       {PoolCase{{3, 4, 8, 8}, {2, 2}, std::nullopt, false},
        PoolCase{{2, 5, 7, 7}, {2, 2}, std::nullopt, false},
        PoolCase{{2, 3, 10, 9}, {3, 2}, std::nullopt, false},
        PoolCase{{2, 3, 6, 6}, {2, 2}, 1, false},
        PoolCase{{2, 3, 6, 8}, {2, 2}, std::nullopt, true}}) {
    SCOPED_TRACE(::testing::Message()
                 << "shape " << c.shape[2] << "x" << c.shape[3] << " kernel "
                 << c.kernel[0] << "x" << c.kernel[1]);
    torch::manual_seed(11);
    torch::Tensor x0 = torch::randn(c.shape);
    if (c.transpose)
      x0 = x0.transpose(2, 3);
    ASSERT_TRUE(tilePoolApplies(x0, c.kernel, c.kernel));
    auto run = [&](bool ours) {
      torch::Tensor x = x0.detach().requires_grad_(true);
      torch::Tensor y =
          ours
              ? tileAvgPool(x, c.kernel,
                            c.divisor ? double(*c.divisor)
                                      : double(c.kernel[0] * c.kernel[1]))
              : torch::avg_pool2d(x, c.kernel, c.kernel, 0, false, true,
                                  c.divisor ? c10::optional<int64_t>(*c.divisor)
                                            : c10::nullopt);
      torch::Tensor upstream = torch::randn(y.sizes());
      (y * upstream).sum().backward();
      return std::make_pair(y.detach(), x.grad());
    };
    torch::manual_seed(12);
    auto [y, gx] = run(true);
    torch::manual_seed(12);
    auto [yRef, gxRef] = run(false);
    expectClose(y, yRef, "value");
    expectClose(gx, gxRef, "input gradient");
  }
  EXPECT_FALSE(tilePoolApplies(torch::randn({1, 1, 8, 8}), {3, 3}, {2, 2}));
}
// The window pool is at::avg_pool2d without padding, values and input
// gradient: SqueezeNet's 3x3/2 with ceil_mode (its last window clipped, the
// divisor its clipped area), the same in floor mode, an uneven 2x3 kernel
// with strides (1, 2), a divisor override and a non-contiguous input.
TEST(KernelsTest, WindowAvgPoolMatchesAvgPool) {
  struct PoolCase {
    std::vector<int64_t> shape;
    std::array<int64_t, 2> kernel, stride;
    bool ceil;
    std::optional<int64_t> divisor;
    bool transpose;
  };
  for (const PoolCase &c :
       {PoolCase{{2, 3, 13, 13}, {3, 3}, {2, 2}, true, std::nullopt, false},
        PoolCase{{2, 3, 13, 12}, {3, 3}, {2, 2}, false, std::nullopt, false},
        PoolCase{{2, 2, 9, 10}, {2, 3}, {1, 2}, true, std::nullopt, false},
        PoolCase{{1, 3, 11, 11}, {3, 3}, {2, 2}, true, 1, false},
        PoolCase{{2, 3, 12, 13}, {3, 3}, {2, 2}, true, std::nullopt, true}}) {
    SCOPED_TRACE(::testing::Message()
                 << "shape " << c.shape[2] << "x" << c.shape[3] << " kernel "
                 << c.kernel[0] << "x" << c.kernel[1] << " ceil " << c.ceil);
    torch::manual_seed(13);
    torch::Tensor x0 = torch::randn(c.shape);
    if (c.transpose)
      x0 = x0.transpose(2, 3);
    ASSERT_TRUE(windowPoolApplies(x0));
    c10::optional<int64_t> divisor =
        c.divisor ? c10::optional<int64_t>(*c.divisor) : c10::nullopt;
    torch::Tensor want0 =
        torch::avg_pool2d(x0, c.kernel, c.stride, 0, c.ceil, true, divisor);
    auto run = [&](bool ours) {
      torch::Tensor x = x0.detach().requires_grad_(true);
      torch::Tensor y =
          ours ? windowAvgPool(x, c.kernel, c.stride,
                               {want0.size(2), want0.size(3)}, c.divisor)
               : torch::avg_pool2d(x, c.kernel, c.stride, 0, c.ceil, true,
                                   divisor);
      torch::Tensor upstream = torch::randn(y.sizes());
      (y * upstream).sum().backward();
      return std::make_pair(y.detach(), x.grad());
    };
    torch::manual_seed(14);
    auto [y, gx] = run(true);
    torch::manual_seed(14);
    auto [yRef, gxRef] = run(false);
    expectClose(y, yRef, "value");
    expectClose(gx, gxRef, "input gradient");
  }
}
} // namespace
} // namespace he::runtime
