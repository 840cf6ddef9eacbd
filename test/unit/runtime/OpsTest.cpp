// The tensor implementations of the he ops: PyTorch's results where PyTorch
// can compute them, and a naive loop (PyTorch's pooling rule written out
// for asymmetric padding) where it cannot.
#include "runtime/Ops.h"

#include <torch/torch.h>

#include <gtest/gtest.h>

#include <limits>

namespace he::runtime {
namespace {
enum class Kind { Max, Avg };

// PyTorch's CPU pooling kernel, generalised to [top, left, bottom, right]
// padding: the window starts at o*stride - padLo, the divisor with
// count_include_pad stops at the trailing padding, without it at the input.
torch::Tensor naivePool(const torch::Tensor &x, Kind kind,
                        std::array<int64_t, 2> k, std::array<int64_t, 2> s,
                        Padding pad, bool ceil, bool includePad = true,
                        std::optional<int64_t> divisor = std::nullopt) {
  int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  int64_t oh = windowOutput(h, k[0], s[0], pad[0], pad[2], ceil);
  int64_t ow = windowOutput(w, k[1], s[1], pad[1], pad[3], ceil);
  torch::Tensor out = torch::empty({n, c, oh, ow});
  auto in = x.accessor<float, 4>();
  auto o = out.accessor<float, 4>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          int64_t h0 = i * s[0] - pad[0], w0 = j * s[1] - pad[1];
          int64_t h1 = std::min(h0 + k[0], h + pad[2]);
          int64_t w1 = std::min(w0 + k[1], w + pad[3]);
          int64_t poolSize = (h1 - h0) * (w1 - w0);
          int64_t hs = std::max<int64_t>(h0, 0), ws = std::max<int64_t>(w0, 0);
          int64_t he = std::min(h1, h), we = std::min(w1, w);
          double acc = kind == Kind::Max
                           ? -std::numeric_limits<double>::infinity()
                           : 0.0;
          for (int64_t y = hs; y < he; ++y)
            for (int64_t z = ws; z < we; ++z)
              acc = kind == Kind::Max ? std::max<double>(acc, in[b][ch][y][z])
                                      : acc + in[b][ch][y][z];
          if (kind == Kind::Avg)
            acc /= divisor ? *divisor
                           : (includePad ? poolSize : (he - hs) * (we - ws));
          o[b][ch][i][j] = float(acc);
        }
  return out;
}

void expectClose(const torch::Tensor &got, const torch::Tensor &want) {
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_TRUE(torch::allclose(got, want, 1e-5, 1e-6))
      << "max difference " << (got - want).abs().max().item<double>();
}

torch::Tensor input(std::vector<int64_t> shape) {
  torch::manual_seed(3);
  return torch::randn(shape);
}

// The naive reference is PyTorch's rule: it agrees with PyTorch wherever
// PyTorch can compute the pool (symmetric padding), ceil_mode included.
TEST(OpsTest, NaiveReferenceAgreesWithPyTorchOnSymmetricPadding) {
  torch::Tensor x = input({2, 3, 7, 9});
  for (bool ceil : {false, true}) {
    expectClose(naivePool(x, Kind::Max, {3, 3}, {2, 2}, {1, 1, 1, 1}, ceil),
                torch::max_pool2d(x, {3, 3}, {2, 2}, {1, 1}, {1, 1}, ceil));
    for (bool includePad : {false, true})
      expectClose(
          naivePool(x, Kind::Avg, {3, 2}, {2, 2}, {1, 1, 1, 1}, ceil,
                    includePad),
          torch::avg_pool2d(x, {3, 2}, {2, 2}, {1, 1}, ceil, includePad));
  }
}

TEST(OpsTest, SymmetricPoolsAreTorchs) {
  torch::Tensor x = input({2, 3, 7, 9});
  expectClose(maxPool2d(x, {3, 3}, {2, 2}, {1, 1, 1, 1}, true),
              torch::max_pool2d(x, {3, 3}, {2, 2}, {1, 1}, {1, 1}, true));
  expectClose(avgPool2d(x, {2, 2}, {2, 2}, {0, 0, 0, 0}, false, true, 1),
              torch::avg_pool2d(x, {2, 2}, {2, 2}, {0, 0}, false, true, 1));
}

TEST(OpsTest, MaxPoolWithAsymmetricPadding) {
  torch::Tensor x = input({2, 2, 7, 8});
  for (bool ceil : {false, true}) {
    SCOPED_TRACE(ceil ? "ceil_mode" : "floor");
    expectClose(maxPool2d(x, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil),
                naivePool(x, Kind::Max, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil));
    expectClose(maxPool2d(x, {2, 3}, {2, 3}, {0, 1, 1, 0}, ceil),
                naivePool(x, Kind::Max, {2, 3}, {2, 3}, {0, 1, 1, 0}, ceil));
  }
}

TEST(OpsTest, AvgPoolWithAsymmetricPadding) {
  torch::Tensor x = input({2, 2, 7, 8});
  for (bool ceil : {false, true})
    for (bool includePad : {false, true}) {
      SCOPED_TRACE(::testing::Message()
                   << "ceil " << ceil << " include pad " << includePad);
      expectClose(
          avgPool2d(x, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil, includePad, {}),
          naivePool(x, Kind::Avg, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil,
                    includePad));
      expectClose(
          avgPool2d(x, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil, includePad, 1),
          naivePool(x, Kind::Avg, {3, 3}, {2, 2}, {1, 0, 0, 1}, ceil,
                    includePad, 1));
    }
}

TEST(OpsTest, ConvWithAsymmetricPaddingIsConvOfTheZeroPaddedInput) {
  torch::Tensor x = input({2, 4, 6, 7});
  torch::Tensor w = torch::randn({6, 2, 3, 3}), b = torch::randn({6});
  // top 1, left 0, bottom 2, right 1, written out by hand.
  torch::Tensor padded = torch::zeros({2, 4, 6 + 3, 7 + 1});
  padded.slice(2, 1, 7).slice(3, 0, 7).copy_(x);
  torch::Tensor want =
      torch::conv2d(padded, w, b, {2, 1}, torch::IntArrayRef{0}, 1, 2);
  expectClose(conv2d(x, w, b, {2, 1}, {1, 0, 2, 1}, 2), want);
  // Symmetric padding and no bias: PyTorch's own.
  expectClose(conv2d(x, w, {}, {1, 1}, {1, 1, 1, 1}, 2),
              torch::conv2d(x, w, {}, 1, torch::IntArrayRef{1}, 1, 2));
}

TEST(OpsTest, GlobalAvgPoolAndItsDivisorOverride) {
  torch::Tensor x = input({2, 3, 4, 5});
  expectClose(globalAvgPool2d(x, std::nullopt), x.mean({2, 3}, true));
  expectClose(globalAvgPool2d(x, 2), x.sum({2, 3}, true) / 2);
}
// linear() takes oneDNN's 1x1-convolution path on CPU f32: the values and
// all three gradients are at::linear's, for a batch large enough that
// PyTorch picks oneDNN (>= 16) and a small one, with and without a bias.
TEST(OpsTest, LinearIsAtLinearWithItsGradients) {
  for (int64_t batch : {3, 40})
    for (bool withBias : {true, false}) {
      SCOPED_TRACE(::testing::Message()
                   << "batch " << batch << " bias " << withBias);
      torch::manual_seed(5);
      torch::Tensor x0 = torch::randn({batch, 37}), w0 = torch::randn({11, 37});
      torch::Tensor b0 = withBias ? torch::randn({11}) : torch::Tensor();
      torch::Tensor upstream = torch::randn({batch, 11});
      auto run = [&](bool ours) {
        torch::Tensor x = x0.clone().requires_grad_(true);
        torch::Tensor w = w0.clone().requires_grad_(true);
        torch::Tensor b =
            withBias ? b0.clone().requires_grad_(true) : torch::Tensor();
        torch::Tensor y = ours ? linear(x, w, b) : at::linear(x, w, b);
        (y * upstream).sum().backward();
        return std::vector<torch::Tensor>{y.detach(), x.grad(), w.grad(),
                                          withBias ? b.grad()
                                                   : torch::zeros({1})};
      };
      std::vector<torch::Tensor> got = run(true), want = run(false);
      for (size_t i = 0; i < got.size(); ++i)
        EXPECT_TRUE(torch::allclose(got[i], want[i], 1e-4, 1e-4))
            << "output " << i << ": max difference "
            << (got[i] - want[i]).abs().max().item<double>();
    }
}
} // namespace
} // namespace he::runtime
