#include "runtime/ReluFitOnInputs.h"

#include <ATen/ATen.h>

#include <cmath>

namespace he::runtime {
ReluFitOnInputs::ReluFitOnInputs(int64_t degree, double c0)
    : degree_(degree), c0_(c0) {}

void ReluFitOnInputs::add(const torch::Tensor &input) {
  torch::NoGradGuard noGrad;
  torch::Tensor x = input.detach().to(torch::kDouble).flatten();
  torch::Tensor target = at::relu(x) - c0_;
  // One power at a time: a 224x224 network's first activation holds ~50M
  // values per batch, too many to keep 2d powers of in double.
  std::vector<torch::Tensor> powerSums, targetSums;
  torch::Tensor power = x;
  for (int64_t k = 1; k <= 2 * degree_; ++k) {
    if (k >= 2)
      powerSums.push_back(power.sum());
    if (k <= degree_)
      targetSums.push_back((target * power).sum());
    if (k < 2 * degree_)
      power = power * x;
  }
  powerSums.insert(powerSums.end(), targetSums.begin(), targetSums.end());
  torch::Tensor batch = at::stack(powerSums);
  sums_ = sums_.defined() ? sums_ + batch : batch;
}

std::optional<std::vector<double>> ReluFitOnInputs::solve() const {
  if (!sums_.defined())
    return std::nullopt;
  torch::Tensor s = sums_.cpu();
  auto sum = s.accessor<double, 1>();
  int64_t d = degree_;
  // Row i, column j (powers i + 1, j + 1): sum x^(i + j + 2), stored at
  // index i + j.
  torch::Tensor m = torch::empty({d, d}, torch::kDouble);
  torch::Tensor v = torch::empty({d, 1}, torch::kDouble);
  for (int64_t i = 0; i < d; ++i) {
    for (int64_t j = 0; j < d; ++j)
      m[i][j] = sum[i + j];
    v[i][0] = sum[2 * d - 1 + i];
  }
  // A singular or nearly singular system has no one answer; the caller
  // keeps the coefficients it had.
  double scale = m.abs().max().item<double>();
  if (!(scale > 0) || !std::isfinite(scale))
    return std::nullopt;
  torch::Tensor mn = m / scale;
  if (at::linalg_cond(mn).item<double>() > 1e12)
    return std::nullopt;
  torch::Tensor c = at::linalg_solve(mn, v / scale);
  std::vector<double> out{c0_};
  for (int64_t i = 0; i < d; ++i) {
    double value = c[i][0].item<double>();
    if (!std::isfinite(value))
      return std::nullopt;
    out.push_back(value);
  }
  return out;
}
} // namespace he::runtime
