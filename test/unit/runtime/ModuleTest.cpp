// HeModule: every he op through the IR equals a hand-written torch
// composition; parameters are loaded or initialised as PyTorch would; the
// lambdas, coefficient scales and activation statistics do what they say.
#include "IrFixture.h"

#include "runtime/HeModule.h"
#include "runtime/Kernels.h"
#include "runtime/Trainer.h"

#include <torch/torch.h>

namespace he::runtime::test {
namespace {
using ModuleTest = IrFixture;

torch::Tensor param(HeModule &m, const std::string &registered) {
  for (auto &p : m.named_parameters())
    if (p.key() == registered)
      return p.value();
  for (auto &b : m.named_buffers())
    if (b.key() == registered)
      return b.value();
  ADD_FAILURE() << "no param " << registered;
  return {};
}

void expectClose(const torch::Tensor &got, const torch::Tensor &want) {
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_TRUE(torch::allclose(got, want, 1e-5, 1e-5))
      << "max difference " << (got - want).abs().max().item<double>();
}

TEST_F(ModuleTest, ConvBatchNormPoolsMatchTorch) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x4x9x9xf32>) -> tensor<?x8x1x1xf32> {
  %w = he.param "conv1.weight" : tensor<8x2x3x3xf32>
  %b = he.param "conv1.bias" : tensor<8xf32>
  %c = he.conv2d %x, %w, %b {name = "conv1", stride = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, groups = 2}
      : (tensor<?x4x9x9xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<?x8x5x8xf32>
  %g = he.param "bn.weight" : tensor<8xf32>
  %s = he.param "bn.bias" : tensor<8xf32>
  %m = he.param "bn.running_mean" buffer : tensor<8xf32> = dense<0.5>
  %v = he.param "bn.running_var" buffer : tensor<8xf32> = dense<2.0>
  %n = he.batch_norm %c, %g, %s, %m, %v {epsilon = 1.0e-3, momentum = 0.2} : tensor<?x8x5x8xf32>, tensor<8xf32>
  %p = he.max_pool2d %n {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x8x5x8xf32> -> tensor<?x8x2x4xf32>
  %a = he.avg_pool2d %p {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : tensor<?x8x2x4xf32> -> tensor<?x8x3x5xf32>
  %d = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, divisor_override = 1} : tensor<?x8x3x5xf32> -> tensor<?x8x1x2xf32>
  %gp = he.global_avg_pool2d %d {divisor_override = 1} : tensor<?x8x1x2xf32> -> tensor<?x8x1x1xf32>
  return %gp : tensor<?x8x1x1xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  m.eval();
  torch::Tensor x = torch::randn({2, 4, 9, 9});
  torch::Tensor y = m.forward(x);

  torch::Tensor padded = torch::constant_pad_nd(x, {0, 1, 1, 2});
  torch::Tensor want =
      torch::conv2d(padded, param(m, "conv1_weight"), param(m, "conv1_bias"),
                    {2, 1}, torch::IntArrayRef{0}, 1, 2);
  want = (want - 0.5) / std::sqrt(2.0 + 1e-3);
  want = torch::max_pool2d(want, {3, 3}, {2, 2}, 0, 1, /*ceil_mode=*/true);
  want = torch::avg_pool2d(want, {2, 2}, {1, 1}, {1, 1}, false,
                           /*count_include_pad=*/false);
  want = torch::avg_pool2d(want, {2, 2}, {2, 2}, 0, false, true, 1);
  want = want.sum({2, 3}, true);
  expectClose(y, want);
}

TEST_F(ModuleTest, BatchNormInTrainingUsesBatchStatsAndUpdatesRunningOnes) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %g = he.param "bn.weight" : tensor<3xf32>
  %s = he.param "bn.bias" : tensor<3xf32>
  %m = he.param "bn.running_mean" buffer : tensor<3xf32>
  %v = he.param "bn.running_var" buffer : tensor<3xf32>
  %n = he.batch_norm %x, %g, %s, %m, %v {momentum = 0.25} : tensor<?x3xf32>, tensor<3xf32>
  return %n : tensor<?x3xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  m.train();
  torch::Tensor x = torch::randn({16, 3}) * 3 + 1;
  torch::Tensor y = m.forward(x);
  torch::Tensor mean = x.mean(0), var = x.var(0, /*unbiased=*/false);
  expectClose(y, (x - mean) / torch::sqrt(var + 1e-5));
  expectClose(param(m, "bn_running_mean"), mean * 0.25);
  expectClose(param(m, "bn_running_var"),
              torch::ones({3}) * 0.75 + x.var(0, /*unbiased=*/true) * 0.25);
}

// Re-estimation: the running statistics become the plain mean of the
// batches' (whatever they were), dropout before the batch norm stays off,
// and the outputs meanwhile are normalised with batch statistics.
TEST_F(ModuleTest, BatchNormReestimationAveragesTheBatchesStatistics) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %d = he.dropout %x {p = 0.5} : tensor<?x3xf32>
  %g = he.param "bn.weight" : tensor<3xf32>
  %s = he.param "bn.bias" : tensor<3xf32>
  %m = he.param "bn.running_mean" buffer : tensor<3xf32> = dense<[5.0, 6.0, 7.0]>
  %v = he.param "bn.running_var" buffer : tensor<3xf32> = dense<[8.0, 9.0, 10.0]>
  %n = he.batch_norm %d, %g, %s, %m, %v {momentum = 0.25} : tensor<?x3xf32>, tensor<3xf32>
  return %n : tensor<?x3xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  EXPECT_TRUE(m.hasBatchNorm());
  m.train();
  std::vector<torch::Tensor> batches = {torch::randn({16, 3}) * 3 + 1,
                                        torch::randn({16, 3}) * 0.5 - 2,
                                        torch::randn({8, 3}) + 4};
  m.beginBatchNormReestimation();
  EXPECT_FALSE(m.is_training());
  torch::Tensor meanSum = torch::zeros({3}), varSum = torch::zeros({3});
  for (const torch::Tensor &x : batches) {
    torch::Tensor mean = x.mean(0), var = x.var(0, /*unbiased=*/false);
    expectClose(m.forward(x), (x - mean) / torch::sqrt(var + 1e-5));
    meanSum += mean;
    varSum += x.var(0, /*unbiased=*/true);
  }
  m.endBatchNormReestimation();
  double n = double(batches.size());
  expectClose(param(m, "bn_running_mean"), meanSum / n);
  expectClose(param(m, "bn_running_var"), varSum / n);
  // Afterwards evaluation uses them.
  torch::Tensor x = torch::randn({4, 3});
  expectClose(m.forward(x), (x - meanSum / n) / torch::sqrt(varSum / n + 1e-5));
}

TEST_F(ModuleTest, ActivationsAddConcatFlattenLinearMatchTorch) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x2x3x3xf32>) -> tensor<?x5xf32> {
  %r = he.relu %x : tensor<?x2x3x3xf32>
  %q = he.poly_act %x coeffs [0.5, -1.0, 0.25] : tensor<?x2x3x3xf32>
  %b = he.blend %r, %q lambda 0.3 : tensor<?x2x3x3xf32>
  %t = he.param "shift" : tensor<2x1x1xf32> = dense<[[[1.0]], [[-2.0]]]>
  %a = he.add %b, %t : tensor<?x2x3x3xf32>, tensor<2x1x1xf32>
  %c = he.concat %a, %r : (tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32>
  %f = he.flatten %c : tensor<?x4x3x3xf32> -> tensor<?x36xf32>
  %d = he.dropout %f {p = 0.5} : tensor<?x36xf32>
  %w = he.param "fc.weight" : tensor<5x36xf32>
  %y = he.linear %d, %w : (tensor<?x36xf32>, tensor<5x36xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  m.eval();
  torch::Tensor x = torch::randn({3, 2, 3, 3});
  torch::Tensor r = torch::relu(x);
  torch::Tensor q = 0.5 - x + 0.25 * x * x;
  torch::Tensor a =
      0.7 * r + 0.3 * q + torch::tensor({1.0f, -2.0f}).view({2, 1, 1});
  torch::Tensor c = torch::cat({a, r}, 1).flatten(1);
  expectClose(m.forward(x), torch::linear(c, param(m, "fc_weight")));
}

TEST_F(ModuleTest, DropoutOnlyInTraining) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x1000xf32>) -> tensor<?x1000xf32> {
  %d = he.dropout %x {p = 0.25} : tensor<?x1000xf32>
  return %d : tensor<?x1000xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  torch::Tensor x = torch::ones({4, 1000});
  m.eval();
  EXPECT_TRUE(torch::equal(m.forward(x), x));
  m.train();
  torch::Tensor y = m.forward(x);
  double dropped = (y == 0).to(torch::kDouble).mean().item<double>();
  EXPECT_NEAR(dropped, 0.25, 0.05);
  EXPECT_TRUE(
      torch::allclose(y.masked_select(y != 0), torch::full({1}, 1 / 0.75f)));
}

TEST_F(ModuleTest, InitialisesAsPyTorch) {
  auto f = parse(tinyNet(TinyAct::Relu));
  ASSERT_TRUE(f);
  torch::manual_seed(1);
  HeModule m(f);
  // Conv fan_in 1*3*3, linear fan_in 64: weights and biases in
  // +-1/sqrt(fan_in), spread over the range.
  for (auto [name, fanIn] :
       {std::pair{"conv1_weight", 9.0}, std::pair{"conv1_bias", 9.0},
        std::pair{"fc_weight", 64.0}, std::pair{"fc_bias", 64.0}}) {
    torch::Tensor t = param(m, name);
    double bound = 1 / std::sqrt(fanIn);
    EXPECT_LE(t.abs().max().item<double>(), bound) << name;
    EXPECT_GT(t.abs().max().item<double>(), bound * 0.3) << name;
    EXPECT_GT(t.std().item<double>(), 0) << name;
  }
  EXPECT_EQ(m.irName("conv1_weight"), "conv1.weight");
}

TEST_F(ModuleTest, BatchNormInitAndLoadedValues) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %g = he.param "bn.weight" : tensor<2xf32>
  %s = he.param "bn.bias" : tensor<2xf32>
  %m = he.param "bn.running_mean" buffer : tensor<2xf32>
  %v = he.param "bn.running_var" buffer : tensor<2xf32> = dense<[3.0, 4.0]>
  %n = he.batch_norm %x, %g, %s, %m, %v : tensor<?x2xf32>, tensor<2xf32>
  return %n : tensor<?x2xf32>
})");
  ASSERT_TRUE(f);
  HeModule m(f);
  EXPECT_TRUE(torch::equal(param(m, "bn_weight"), torch::ones({2})));
  EXPECT_TRUE(torch::equal(param(m, "bn_bias"), torch::zeros({2})));
  EXPECT_TRUE(torch::equal(param(m, "bn_running_mean"), torch::zeros({2})));
  EXPECT_TRUE(
      torch::equal(param(m, "bn_running_var"), torch::tensor({3.0f, 4.0f})));
  // Buffers are not trained.
  EXPECT_EQ(m.parameters().size(), 2u);
  EXPECT_EQ(m.otherParameters().size(), 2u);
  EXPECT_TRUE(m.coefficientParameters().empty());
}

TEST_F(ModuleTest, LambdasGoToTheBlendsOfTheirKind) {
  auto f = parse(tinyNet(TinyAct::Blend));
  ASSERT_TRUE(f);
  HeModule m(f);
  EXPECT_TRUE(m.hasActivationBlends());
  EXPECT_TRUE(m.hasPoolBlends());
  m.setActivationLambda(0.25);
  EXPECT_EQ(m.blendLambdas(), (std::vector<double>{0.25, 0.0}));
  m.setPoolLambda(1.0);
  EXPECT_EQ(m.blendLambdas(), (std::vector<double>{0.25, 1.0}));
  EXPECT_THROW(m.setPoolLambda(1.5), Error);
}

// The fused blend gives what the IR says: (1-l) relu(conv) + l poly(conv).
TEST_F(ModuleTest, FusedBlendEqualsTheComposition) {
  auto f = parse(tinyNet(TinyAct::Blend));
  ASSERT_TRUE(f);
  HeModule m(f);
  m.eval();
  m.setActivationLambda(0.4);
  m.setPoolLambda(0.5);
  torch::Tensor x = torch::randn({2, 1, 8, 8});
  torch::Tensor c =
      torch::conv2d(x, param(m, "conv1_weight"), param(m, "conv1_bias"), 1,
                    torch::IntArrayRef{1});
  torch::Tensor a = 0.6 * torch::relu(c) + 0.4 * (c + 0.1 * c * c);
  torch::Tensor p =
      0.5 * torch::max_pool2d(a, 2, 2) + 0.5 * torch::avg_pool2d(a, 2, 2);
  torch::Tensor y =
      torch::linear(p.flatten(1), param(m, "fc_weight"), param(m, "fc_bias"));
  expectClose(m.forward(x), y);
}

TEST_F(ModuleTest, CoefficientScalesKeepTheActivationAndScaleTheStep) {
  auto f = parse(tinyNet(TinyAct::Poly));
  ASSERT_TRUE(f);
  HeModule m(f);
  ASSERT_EQ(m.coefficientParameters().size(), 1u);
  EXPECT_EQ(m.otherParameters().size(), 4u);
  torch::Tensor x = torch::randn({2, 1, 8, 8});
  torch::Tensor before = m.forward(x).detach();
  m.setCoefficientScales({1.0, 1.0, 0.01});
  expectClose(m.forward(x).detach(), before);
  torch::Tensor coeffs = m.coefficientParameters()[0];
  EXPECT_NEAR(coeffs[2].item<double>(), 0.1 / 0.01, 1e-4);
  ASSERT_EQ(m.coefficients().size(), 1u);
  EXPECT_EQ(m.coefficients()[0].first, "act1.coeffs");
  EXPECT_NEAR(m.coefficients()[0].second[2], 0.1, 1e-6);
}

// TrainOptions::coefficientScales are set on the module before the first
// step: the run equals, bit for bit, one whose module had them set by hand,
// and differs from one without.
TEST_F(ModuleTest, TrainSetsTheCoefficientScalesOfItsOptions) {
  Dataset data = syntheticDataset(32, 1, 8, 8, 3, 11);
  auto run = [&](bool byOption, bool byHand) {
    torch::manual_seed(0);
    HeModule m(parse(tinyNet(TinyAct::Poly)));
    if (byHand)
      m.setCoefficientScales({1.0, 1.0, 0.5});
    TrainOptions o;
    o.epochs = 2;
    o.batchSize = 16;
    o.threads = 1;
    if (byOption)
      o.coefficientScales = {1.0, 1.0, 0.5};
    return train(m, data, data, o).epochs.back().coefficients[0].second;
  };
  std::vector<double> byOption = run(true, false);
  EXPECT_EQ(byOption, run(false, true));
  EXPECT_NE(byOption, run(false, false));
}

// The fit sees what the poly_act sees (the conv's output, fused blend or
// not) and sets the trainable coefficients to ReluFitOnInputs of it; the
// forwards in between are unchanged; a module without trainable ones
// fits nothing.
TEST_F(ModuleTest, ReluFitSetsTheCoefficientsFromThePolynomialsInputs) {
  for (TinyAct act : {TinyAct::Poly, TinyAct::Blend}) {
    auto f = parse(tinyNet(act));
    ASSERT_TRUE(f);
    HeModule m(f);
    m.eval();
    m.setCoefficientScales({1.0, 1.0, 0.5});
    torch::Tensor x1 = torch::randn({2, 1, 8, 8}),
                  x2 = torch::randn({3, 1, 8, 8});
    torch::Tensor before = m.forward(x1).detach();
    ReluFitOnInputs want(2, 0.0);
    for (const torch::Tensor &x : {x1, x2})
      want.add(torch::conv2d(x, param(m, "conv1_weight"),
                             param(m, "conv1_bias"), 1, torch::IntArrayRef{1}));
    m.beginReluFit();
    expectClose(m.forward(x1).detach(), before);
    m.forward(x2);
    auto fitted = m.endReluFit();
    ASSERT_EQ(fitted.size(), 1u);
    EXPECT_EQ(fitted[0].first, "act1.coeffs");
    std::vector<double> c = *want.solve();
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_NEAR(fitted[0].second[k], c[k], 1e-9);
      EXPECT_NEAR(m.coefficients()[0].second[k], c[k], 1e-6);
    }
    // The parameter holds c / scale.
    EXPECT_NEAR(m.coefficientParameters()[0][2].item<double>(), c[2] / 0.5,
                1e-5);
  }
  HeModule relu(parse(tinyNet(TinyAct::Relu)));
  EXPECT_FALSE(relu.hasTrainablePolynomials());
  relu.beginReluFit();
  relu.forward(torch::randn({2, 1, 8, 8}));
  EXPECT_TRUE(relu.endReluFit().empty());
}

TEST_F(ModuleTest, ActivationStatsNameTheFirstLayerAboveTheBound) {
  auto f = parse(tinyNet(TinyAct::Relu));
  ASSERT_TRUE(f);
  HeModule m(f);
  m.setActivationTracking(true);
  m.forward(torch::ones({1, 1, 8, 8}) * 1e4);
  auto stats = m.activationStats();
  ASSERT_EQ(stats.size(), 5u); // conv, relu, pool, flatten, linear
  EXPECT_NE(stats[0].label.find("conv1"), std::string::npos);
  auto bad = m.firstDivergentLayer(1.0);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->label.rfind("conv1 (", 0), 0u) << bad->label;
  EXPECT_FALSE(m.firstDivergentLayer(1e12));
  m.forward(torch::full({1, 1, 8, 8}, std::nan("")));
  bad = m.firstDivergentLayer(0);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(std::isfinite(bad->maxAbs));
}

TEST_F(ModuleTest, RejectsWhatItCannotRun) {
  auto f = parse(R"(
func.func @forward(%x: tensor<?x2xf32>, %y: tensor<?x2xf32>) -> tensor<?x2xf32> {
  return %x : tensor<?x2xf32>
})");
  ASSERT_TRUE(f);
  try {
    HeModule m(f);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("expects one argument"),
              std::string::npos)
        << e.what();
  }
}
} // namespace
} // namespace he::runtime::test
