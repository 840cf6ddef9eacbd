// he-absorb-scalars computes the same function as the network it rewrites,
// checked with the reference evaluator on random weights and inputs.
#include "PassExactness.h"

#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h"

namespace {
using he::test::expectExact;
using he::test::Network;

// The leading coefficient of the poly (found by its layer name).
double leading(Network &net, llvm::StringRef name) {
  double lead = 0;
  net.module->walk([&](he::PolyActOp op) {
    if (op.getName() == name)
      lead = op.getCoeffs().back();
  });
  return lead;
}

// conv -> poly -> avg-pool -> shift add (as he-fold-batchnorm leaves it
// before a padded conv) -> padded conv: the poly becomes monic, the pool a
// sum, the shift is rescaled and the conv absorbs both factors.
TEST(AbsorbScalarsTest, PolyPoolShiftIntoPaddedConv) {
  Network net(R"(
func.func @f(%x: tensor<?x2x6x6xf32>) -> tensor<?x3x3x3xf32> {
  %s = he.param "bn.shift" buffer : tensor<2x1x1xf32>
  %w = he.param "conv.weight" : tensor<3x2x3x3xf32>
  %b = he.param "conv.bias" : tensor<3xf32>
  %a = he.poly_act %x coeffs [0.1, 0.7, 0.3] trainable {name = "act"} : tensor<?x2x6x6xf32>
  %p = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x6x6xf32> -> tensor<?x2x3x3xf32>
  %t = he.add %p, %s : tensor<?x2x3x3xf32>, tensor<2x1x1xf32>
  %c = he.conv2d %t, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x3x3xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<?x3x3x3xf32>
  return %c : tensor<?x3x3x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  he::PolyActOp poly = net.first<he::PolyActOp>();
  EXPECT_EQ(poly.getCoeffs().back(), 1.0);
  EXPECT_TRUE(poly.getTrainable());
  EXPECT_EQ(net.first<he::AvgPool2dOp>().getDivisorOverride(), 1u);
}

// SqueezeNet's fire module: one act feeds two expand convs (1x1 and padded
// 3x3) whose acts are concatenated for the next conv; a global pool ends it.
TEST(AbsorbScalarsTest, FireModuleBranches) {
  Network net(R"(
func.func @f(%x: tensor<?x3x5x5xf32>) -> tensor<?x4xf32> {
  %ws = he.param "fire.squeeze.weight" : tensor<2x3x1x1xf32>
  %w1 = he.param "fire.expand1x1.weight" : tensor<3x2x1x1xf32>
  %b1 = he.param "fire.expand1x1.bias" : tensor<3xf32>
  %w3 = he.param "fire.expand3x3.weight" : tensor<2x2x3x3xf32>
  %wc = he.param "classifier.weight" : tensor<4x5x1x1xf32>
  %bc = he.param "classifier.bias" : tensor<4xf32>
  %s = he.conv2d %x, %ws : (tensor<?x3x5x5xf32>, tensor<2x3x1x1xf32>) -> tensor<?x2x5x5xf32>
  %sa = he.poly_act %s coeffs [0.0, 0.4, -0.6] {name = "squeeze"} : tensor<?x2x5x5xf32>
  %e1 = he.conv2d %sa, %w1, %b1 : (tensor<?x2x5x5xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<?x3x5x5xf32>
  %e3 = he.conv2d %sa, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x5x5xf32>
  %a1 = he.poly_act %e1 coeffs [0.0, 0.5, 0.2] {name = "e1"} : tensor<?x3x5x5xf32>
  %a3 = he.poly_act %e3 coeffs [0.0, 0.3, 0.9] {name = "e3"} : tensor<?x2x5x5xf32>
  %cat = he.concat %a1, %a3 : (tensor<?x3x5x5xf32>, tensor<?x2x5x5xf32>) -> tensor<?x5x5x5xf32>
  %d = he.dropout %cat {p = 0.5 : f64} : tensor<?x5x5x5xf32>
  %c = he.conv2d %d, %wc, %bc : (tensor<?x5x5x5xf32>, tensor<4x5x1x1xf32>, tensor<4xf32>) -> tensor<?x4x5x5xf32>
  %g = he.global_avg_pool2d %c : tensor<?x4x5x5xf32> -> tensor<?x4x1x1xf32>
  %ca = he.poly_act %g coeffs [0.0, 1.0, 0.5] {name = "final"} : tensor<?x4x1x1xf32>
  %f = he.flatten %ca : tensor<?x4x1x1xf32> -> tensor<?x4xf32>
  return %f : tensor<?x4xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(leading(net, "squeeze"), 1.0);
  EXPECT_EQ(leading(net, "e1"), 1.0);
  EXPECT_EQ(leading(net, "e3"), 1.0);
  // Nothing linear after the last act: its scalar (and the pool's, which
  // the act absorbed) stays there.
  EXPECT_NE(leading(net, "final"), 1.0);
  EXPECT_EQ(net.first<he::GlobalAvgPool2dOp>().getDivisorOverride(), 1u);
}

// a = 0: y = b·x is the identity once b is pushed, and disappears.
TEST(AbsorbScalarsTest, LinearPolyDisappears) {
  Network net(R"(
func.func @f(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = he.param "fc.weight" : tensor<2x3xf32>
  %a = he.poly_act %x coeffs [0.0, 0.8, 0.0] : tensor<?x3xf32>
  %l = he.linear %a, %w : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  return %l : tensor<?x2xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(net.count<he::PolyActOp>(), 0);
}

// A scalar with nothing linear downstream stays: the module is unchanged.
TEST(AbsorbScalarsTest, NothingLinearDownstreamChangesNothing) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  %c = he.conv2d %a, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %r = he.relu %c : tensor<?x2x4x4xf32>
  %p = he.avg_pool2d %r {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  %b = he.poly_act %r coeffs [0.0, 0.5, 0.25] : tensor<?x2x4x4xf32>
  return %a, %b : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
})");
  ASSERT_TRUE(net.parsed());
  std::string before = net.print();
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(net.print(), before);
}

// The pool's 1/4 reaches the linear through flatten, per feature; a pool
// whose ceil_mode window overhangs keeps its divisor.
TEST(AbsorbScalarsTest, PoolsThroughFlatten) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>, %y: tensor<?x2x5x5xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %w = he.param "fc.weight" : tensor<3x8xf32>
  %v = he.param "fc2.weight" : tensor<3x18xf32>
  %p = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, name = "even"} : tensor<?x2x4x4xf32> -> tensor<?x2x2x2xf32>
  %f = he.flatten %p : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %l = he.linear %f, %w : (tensor<?x8xf32>, tensor<3x8xf32>) -> tensor<?x3xf32>
  %q = he.avg_pool2d %y {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true, name = "odd"} : tensor<?x2x5x5xf32> -> tensor<?x2x3x3xf32>
  %g = he.flatten %q : tensor<?x2x3x3xf32> -> tensor<?x18xf32>
  %m = he.linear %g, %v : (tensor<?x18xf32>, tensor<3x18xf32>) -> tensor<?x3xf32>
  return %l, %m : tensor<?x3xf32>, tensor<?x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  std::optional<uint64_t> even, odd;
  net.module->walk([&](he::AvgPool2dOp op) {
    (op.getName() == "even" ? even : odd) = op.getDivisorOverride();
  });
  EXPECT_EQ(even, 1u);
  EXPECT_FALSE(odd.has_value());
}

// Padding counted by count_include_pad keeps the divisor constant.
TEST(AbsorbScalarsTest, PaddedPoolCountingThePadding) {
  Network net(R"(
func.func @f(%x: tensor<?x2x5x5xf32>) -> tensor<?x2x3x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %p = he.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x2x5x5xf32> -> tensor<?x2x3x3xf32>
  %c = he.conv2d %p, %w : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(net.first<he::AvgPool2dOp>().getDivisorOverride(), 1u);
}

// A uniform factor composes into a following polynomial: p(a·x).
TEST(AbsorbScalarsTest, PolyIntoPolyThenConv) {
  Network net(R"(
func.func @f(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %a = he.poly_act %x coeffs [0.2, 0.5, 0.3] {name = "first"} : tensor<?x2x3x3xf32>
  %b = he.poly_act %a coeffs [0.0, -0.4, 0.7, 0.1] {name = "second"} : tensor<?x2x3x3xf32>
  %c = he.conv2d %b, %w : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(leading(net, "first"), 1.0);
  EXPECT_EQ(leading(net, "second"), 1.0);
}

// A non-uniform factor (a concat of a scaled and an unscaled branch) cannot
// enter a polynomial: that scalar stays.
TEST(AbsorbScalarsTest, NonUniformFactorStopsAtAPoly) {
  Network net(R"(
func.func @f(%x: tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32> {
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.3] {name = "scaled"} : tensor<?x2x3x3xf32>
  %c = he.concat %a, %x : (tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32>
  %b = he.poly_act %c coeffs [0.0, 1.0, 1.0] {name = "next"} : tensor<?x4x3x3xf32>
  return %b : tensor<?x4x3x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(leading(net, "scaled"), 0.3);
}

// Two branches of one source meet in an add with the same factor; a param
// without value stops another push.
TEST(AbsorbScalarsTest, ResidualAddWithTheSameFactor) {
  Network net(R"(
func.func @f(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.3] : tensor<?x2x3x3xf32>
  %d = he.dropout %a : tensor<?x2x3x3xf32>
  %s = he.add %a, %d : tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>
  %c = he.conv2d %s, %w : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
})");
  expectExact(net, he::createAbsorbScalars());
  EXPECT_EQ(net.first<he::PolyActOp>().getCoeffs().back(), 1.0);
}
} // namespace
