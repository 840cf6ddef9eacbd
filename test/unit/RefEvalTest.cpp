// The reference evaluator against values computed by hand (PyTorch's
// rules), so that the exactness tests rest on a checked oracle.
#include "PassExactness.h"

namespace {
using he::test::Network;
using he::test::Tensor;

std::vector<double> run(Network &net, Tensor input) {
  std::vector<Tensor> results;
  std::string error;
  EXPECT_TRUE(he::test::evaluate(net.func(), {input}, results, error)) << error;
  return results.empty() ? std::vector<double>() : results[0].data;
}

Tensor oneToN(std::vector<int64_t> shape) {
  Tensor t = he::test::randomTensor(shape, 0);
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = i + 1;
  return t;
}

// ceil_mode's last windows hang past the input: divided by their size.
TEST(RefEvalTest, AvgPoolCeilMode) {
  Network net(R"(
func.func @f(%x: tensor<?x1x3x3xf32>) -> tensor<?x1x2x2xf32> {
  %p = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x1x3x3xf32> -> tensor<?x1x2x2xf32>
  return %p : tensor<?x1x2x2xf32>
})");
  EXPECT_EQ(run(net, oneToN({1, 1, 3, 3})),
            (std::vector<double>{3, 4.5, 7.5, 9}));
}

TEST(RefEvalTest, AvgPoolPaddingCountedOrNot) {
  Network net(R"(
func.func @f(%x: tensor<?x1x2x2xf32>) -> (tensor<?x1x2x2xf32>) {
  %p = he.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = false} : tensor<?x1x2x2xf32> -> tensor<?x1x2x2xf32>
  %q = he.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x1x2x2xf32> -> tensor<?x1x2x2xf32>
  %s = he.add %p, %q : tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>
  return %s : tensor<?x1x2x2xf32>
})");
  double v = 2.5 + 10.0 / 9;
  for (double got : run(net, oneToN({1, 1, 2, 2})))
    EXPECT_DOUBLE_EQ(got, v);
}

TEST(RefEvalTest, PaddedConvAndBroadcastAdd) {
  Network net(R"(
func.func @f(%x: tensor<?x1x2x2xf32>) -> tensor<?x1x3x3xf32> {
  %w = he.param "w" : tensor<1x1x2x2xf32> = dense<1.0>
  %s = he.param "s" : tensor<1x1x1xf32> = dense<0.5>
  %c = he.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x3x3xf32>
  %a = he.add %c, %s : tensor<?x1x3x3xf32>, tensor<1x1x1xf32>
  return %a : tensor<?x1x3x3xf32>
})");
  EXPECT_EQ(
      run(net, oneToN({1, 1, 2, 2})),
      (std::vector<double>{1.5, 3.5, 2.5, 4.5, 10.5, 6.5, 3.5, 7.5, 4.5}));
}

TEST(RefEvalTest, MaxPoolConcatAndGlobalPool) {
  Network net(R"(
func.func @f(%x: tensor<?x1x2x2xf32>) -> tensor<?x2x1x1xf32> {
  %m = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1, 0, 0>} : tensor<?x1x2x2xf32> -> tensor<?x1x2x2xf32>
  %c = he.concat %m, %x : (tensor<?x1x2x2xf32>, tensor<?x1x2x2xf32>) -> tensor<?x2x2x2xf32>
  %g = he.global_avg_pool2d %c : tensor<?x2x2x2xf32> -> tensor<?x2x1x1xf32>
  return %g : tensor<?x2x1x1xf32>
})");
  // max pool: [[1, 2], [3, 4]]; means 2.5 and 2.5.
  EXPECT_EQ(run(net, oneToN({1, 1, 2, 2})), (std::vector<double>{2.5, 2.5}));
}
} // namespace
