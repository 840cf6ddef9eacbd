// he-fold-batchnorm computes the same function as the network it folds,
// checked with the reference evaluator on random weights and inputs.
#include "PassExactness.h"

#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h"

namespace {
using he::test::expectExact;
using he::test::Network;

// The batch-norm's four parameters for `c` channels, named "bn.*".
std::string bnParams(int c) {
  std::string t = "tensor<" + std::to_string(c) + "xf32>";
  return "  %bw = he.param \"bn.weight\" : " + t + "\n" +
         "  %bb = he.param \"bn.bias\" : " + t + "\n" +
         "  %bm = he.param \"bn.running_mean\" buffer : " + t + "\n" +
         "  %bv = he.param \"bn.running_var\" buffer : " + t + "\n";
}

TEST(FoldBatchNormTest, BackwardIntoConvWithBias) {
  Network net(R"(
func.func @f(%x: tensor<?x3x6x6xf32>) -> tensor<?x4x6x6xf32> {
  %w = he.param "conv.weight" : tensor<4x3x3x3xf32>
  %b = he.param "conv.bias" : tensor<4xf32>
)" + bnParams(4) +
              R"(
  %c = he.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x6x6xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x6x6xf32>
  %y = he.batch_norm %c, %bw, %bb, %bm, %bv : tensor<?x4x6x6xf32>, tensor<4xf32>
  return %y : tensor<?x4x6x6xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
  EXPECT_EQ(net.count<he::AddOp>(), 0);
  EXPECT_FALSE(net.param("bn.weight"));
}

TEST(FoldBatchNormTest, BackwardIntoLinearCreatesItsBias) {
  Network net(R"(
func.func @f(%x: tensor<?x5xf32>) -> tensor<?x3xf32> {
  %w = he.param "fc.weight" : tensor<3x5xf32>
)" + bnParams(3) +
              R"(
  %l = he.linear %x, %w : (tensor<?x5xf32>, tensor<3x5xf32>) -> tensor<?x3xf32>
  %y = he.batch_norm %l, %bw, %bb, %bm, %bv : tensor<?x3xf32>, tensor<3xf32>
  return %y : tensor<?x3xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_TRUE(net.param("fc.bias"));
  EXPECT_TRUE(net.first<he::LinearOp>().getBias());
}

// The paper's AlexNet order: conv -> act -> pool -> BN -> padded conv. The
// shift must not reach the padded border, so it stays as a he.add.
TEST(FoldBatchNormTest, ForwardIntoPaddedConvKeepsTheShiftAsAnAdd) {
  Network net(R"(
func.func @f(%x: tensor<?x2x8x8xf32>) -> tensor<?x3x4x4xf32> {
)" + bnParams(2) +
              R"(
  %w = he.param "conv2.weight" : tensor<3x2x3x3xf32>
  %b = he.param "conv2.bias" : tensor<3xf32>
  %a = he.poly_act %x coeffs [0.0, 0.5, 0.25] : tensor<?x2x8x8xf32>
  %p = he.avg_pool2d %a {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x2x8x8xf32> -> tensor<?x2x4x4xf32>
  %n = he.batch_norm %p, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %n, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  return %c : tensor<?x3x4x4xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
  ASSERT_EQ(net.count<he::AddOp>(), 1);
  EXPECT_TRUE(net.param("bn.shift"));
}

// Asymmetric padding and a stride: every border pixel still matches.
TEST(FoldBatchNormTest, ForwardIntoAsymmetricallyPaddedStridedConv) {
  Network net(R"(
func.func @f(%x: tensor<?x3x7x7xf32>) -> tensor<?x2x4x3xf32> {
)" + bnParams(3) +
              R"(
  %w = he.param "conv.weight" : tensor<2x3x3x3xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x3x7x7xf32>, tensor<3xf32>
  %c = he.conv2d %n, %w {stride = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : (tensor<?x3x7x7xf32>, tensor<2x3x3x3xf32>) -> tensor<?x2x4x3xf32>
  return %c : tensor<?x2x4x3xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::AddOp>(), 1);
}

// Without padding the shift goes into the bias (created here), also for a
// grouped convolution.
TEST(FoldBatchNormTest, ForwardIntoUnpaddedGroupedConvFoldsTheShift) {
  Network net(R"(
func.func @f(%x: tensor<?x4x5x5xf32>) -> tensor<?x6x3x3xf32> {
)" + bnParams(4) +
              R"(
  %w = he.param "conv.weight" : tensor<6x2x3x3xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x4x5x5xf32>, tensor<4xf32>
  %c = he.conv2d %n, %w {groups = 2} : (tensor<?x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x3x3xf32>
  return %c : tensor<?x6x3x3xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::AddOp>(), 0);
  EXPECT_TRUE(net.param("conv.bias"));
}

// Splat weights take a shortcut that never expands them: same function.
TEST(FoldBatchNormTest, ForwardIntoSplatWeights) {
  Network net(R"(
func.func @f(%x: tensor<?x4x5x5xf32>) -> (tensor<?x6x3x3xf32>, tensor<?x2xf32>) {
)" + bnParams(4) +
              R"(
  %w = he.param "conv.weight" : tensor<6x2x3x3xf32> = dense<0.5>
  %v = he.param "fc.weight" : tensor<2x100xf32> = dense<-0.25>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x4x5x5xf32>, tensor<4xf32>
  %c = he.conv2d %n, %w {groups = 2} : (tensor<?x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x3x3xf32>
  %f = he.flatten %n : tensor<?x4x5x5xf32> -> tensor<?x100xf32>
  %l = he.linear %f, %v : (tensor<?x100xf32>, tensor<2x100xf32>) -> tensor<?x2xf32>
  return %c, %l : tensor<?x6x3x3xf32>, tensor<?x2xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
}

// AlexNet's classifier: BN -> dropout -> flatten -> linear; channel scales
// expand to H·W features each.
TEST(FoldBatchNormTest, ForwardThroughDropoutAndFlattenIntoLinear) {
  Network net(R"(
func.func @f(%x: tensor<?x3x2x2xf32>) -> tensor<?x5xf32> {
)" + bnParams(3) +
              R"(
  %w = he.param "fc.weight" : tensor<5x12xf32>
  %b = he.param "fc.bias" : tensor<5xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x3x2x2xf32>, tensor<3xf32>
  %d = he.dropout %n {p = 0.2 : f64} : tensor<?x3x2x2xf32>
  %f = he.flatten %d : tensor<?x3x2x2xf32> -> tensor<?x12xf32>
  %l = he.linear %f, %w, %b : (tensor<?x12xf32>, tensor<5x12xf32>, tensor<5xf32>) -> tensor<?x5xf32>
  return %l : tensor<?x5xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
  EXPECT_EQ(net.count<he::AddOp>(), 0);
}

// One BN feeding a padded and an unpadded conv: an add for the first only.
TEST(FoldBatchNormTest, ForwardIntoTwoConsumers) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> (tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>) {
)" + bnParams(2) +
              R"(
  %w1 = he.param "c1.weight" : tensor<3x2x3x3xf32>
  %w2 = he.param "c2.weight" : tensor<3x2x1x1xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c1 = he.conv2d %n, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x4x4xf32>
  %c2 = he.conv2d %n, %w2 : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  return %c1, %c2 : tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::AddOp>(), 1);
  EXPECT_TRUE(net.param("c2.bias"));
}

// conv -> BN1 -> conv2 -> BN2: BN1 folds backward, BN2 too; the module is
// BN-free and the same function.
TEST(FoldBatchNormTest, TwoBatchNormsInARow) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w1 = he.param "c1.weight" : tensor<2x2x1x1xf32>
  %w2 = he.param "c2.weight" : tensor<2x2x3x3xf32>
  %aw = he.param "bn1.weight" : tensor<2xf32>
  %ab = he.param "bn1.bias" : tensor<2xf32>
  %am = he.param "bn1.running_mean" : tensor<2xf32>
  %av = he.param "bn1.running_var" : tensor<2xf32>
)" + bnParams(2) +
              R"(
  %n0 = he.batch_norm %x, %aw, %ab, %am, %av : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c1 = he.conv2d %n0, %w1 : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %r = he.poly_act %c1 coeffs [0.0, 1.0, 0.5] : tensor<?x2x4x4xf32>
  %c2 = he.conv2d %r, %w2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  %n = he.batch_norm %c2, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  return %n : tensor<?x2x4x4xf32>
})");
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
}

// A BN followed by a ReLU folds nowhere: error, and nothing changes (not
// even the other, foldable, batch-norm).
TEST(FoldBatchNormTest, UnfoldableBatchNormLeavesTheModuleUnchanged) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32>
  %aw = he.param "bn1.weight" : tensor<2xf32>
  %ab = he.param "bn1.bias" : tensor<2xf32>
  %am = he.param "bn1.running_mean" : tensor<2xf32>
  %av = he.param "bn1.running_var" : tensor<2xf32>
)" + bnParams(2) +
              R"(
  %c = he.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %n1 = he.batch_norm %c, %aw, %ab, %am, %av : tensor<?x2x4x4xf32>, tensor<2xf32>
  %a = he.poly_act %n1 coeffs [0.0, 1.0, 0.5] : tensor<?x2x4x4xf32>
  %n = he.batch_norm %a, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %r = he.relu %n : tensor<?x2x4x4xf32>
  return %r : tensor<?x2x4x4xf32>
})");
  ASSERT_TRUE(net.parsed());
  std::string before = net.print();
  EXPECT_FALSE(net.run(he::createFoldBatchNorm()));
  EXPECT_EQ(net.print(), before);
  EXPECT_NE(net.diagnostics.find("cannot fold 'he.batch_norm' (layer bn)"),
            std::string::npos)
      << net.diagnostics;
}

// A channel scaled by 0 with a nonzero shift cannot move before a padded
// conv as t/s.
TEST(FoldBatchNormTest, ZeroScaleBeforePaddedConvIsAnError) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
)" + bnParams(2) +
              R"(
  %w = he.param "conv.weight" : tensor<2x2x3x3xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %n, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
})");
  ASSERT_TRUE(net.parsed());
  he::writeParamValue(net.param("bn.weight"), {1.0f, 0.0f});
  he::writeParamValue(net.param("bn.bias"), {0.5f, 0.5f});
  EXPECT_FALSE(net.run(he::createFoldBatchNorm()));
  EXPECT_NE(net.diagnostics.find("channel 1 has scale 0"), std::string::npos)
      << net.diagnostics;
  EXPECT_EQ(net.count<he::BatchNormOp>(), 1);
}

// The same with zero shift too is fine: that channel is all zeros.
TEST(FoldBatchNormTest, ZeroScaleAndZeroShiftBeforePaddedConv) {
  Network net(R"(
func.func @f(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
)" + bnParams(2) +
              R"(
  %w = he.param "conv.weight" : tensor<2x2x3x3xf32>
  %n = he.batch_norm %x, %bw, %bb, %bm, %bv : tensor<?x2x4x4xf32>, tensor<2xf32>
  %c = he.conv2d %n, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  return %c : tensor<?x2x4x4xf32>
})");
  ASSERT_TRUE(net.parsed());
  he::writeParamValue(net.param("bn.weight"), {1.5f, 0.0f});
  he::writeParamValue(net.param("bn.bias"), {0.5f, 0.0f});
  expectExact(net, he::createFoldBatchNorm());
  EXPECT_EQ(net.count<he::BatchNormOp>(), 0);
}
} // namespace
