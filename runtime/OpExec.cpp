// HeModule::forward: runs the plan's steps over a vector of values, and the
// statistics gathered along the way (batch norm, ReLU fits).
#include "runtime/HeModule.h"
#include "runtime/Kernels.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>

using torch::Tensor;

namespace he::runtime {
Tensor HeModule::execute(const Step &step, std::vector<Tensor> &values) {
  auto in = [&](size_t i) -> const Tensor & { return values[step.inputs[i]]; };
  auto optionalIn = [&](size_t i) {
    return i < step.inputs.size() ? values[step.inputs[i]] : Tensor();
  };
  switch (step.kind) {
  case StepKind::Param:
    return step.tensor;
  case StepKind::Conv2d:
    return conv2d(in(0), in(1), optionalIn(2), step.stride, step.padding,
                  step.groups);
  case StepKind::Linear:
    return linear(in(0), in(1), optionalIn(2));
  case StepKind::BatchNorm: {
    // Momentum 1/(k+1) at the k-th forward (from 0) makes the running
    // statistics the plain mean of the batches'.
    double momentum =
        reestimating_ ? 1.0 / double(reestimatedForwards_ + 1) : step.momentum;
    return at::batch_norm(in(0), in(1), in(2), in(3), in(4),
                          is_training() || reestimating_, momentum,
                          step.epsilon, /*cudnn_enabled=*/true);
  }
  case StepKind::MaxPool2d:
    return maxPool2d(in(0), step.kernel, step.stride, step.padding,
                     step.ceilMode);
  case StepKind::AvgPool2d:
    return avgPool2d(in(0), step.kernel, step.stride, step.padding,
                     step.ceilMode, step.countIncludePad, step.divisor);
  case StepKind::GlobalAvgPool2d:
    return globalAvgPool2d(in(0), step.divisor);
  case StepKind::Relu:
    return at::relu(in(0));
  case StepKind::PolyAct:
    return polyAct(in(0), polys_[step.poly].effective());
  case StepKind::Blend: {
    double lambda = blends_[step.blend].lambda;
    return in(0) * (1 - lambda) + in(1) * lambda;
  }
  case StepKind::FusedBlend:
    return blendReluPoly(in(0), polys_[step.poly].effective(),
                         blends_[step.blend].lambda);
  case StepKind::Add:
    return in(0) + in(1);
  case StepKind::Concat: {
    std::vector<Tensor> parts;
    for (size_t i = 0; i < step.inputs.size(); ++i)
      parts.push_back(in(i));
    return at::cat(parts, step.axis);
  }
  case StepKind::Flatten:
    return in(0).flatten(1);
  case StepKind::Dropout:
    return at::dropout(in(0), step.p, is_training());
  }
  throw Error("unknown step kind in the execution plan of " + step.label);
}

Tensor HeModule::forward(const Tensor &input) {
  std::vector<Tensor> values(numValues_);
  values[0] = input;
  std::vector<Tensor> stats;
  if (tracking_)
    stats.reserve(statLabels_.size());
  size_t observed = 0;
  for (const Step &step : steps_) {
    if (!fits_.empty() &&
        (step.kind == StepKind::PolyAct || step.kind == StepKind::FusedBlend) &&
        fits_[step.poly])
      fits_[step.poly]->add(values[step.inputs[0]]);
    if (check_ && step.kind != StepKind::Param)
      check_();
    Tensor out = execute(step, values);
    // Not on a leaf (a parameter): its hooks would outlive the pass.
    if (check_ && out.requires_grad() && !out.is_leaf())
      out.register_hook([check = check_](const Tensor &) { check(); });
    if (tracking_ && step.kind != StepKind::Param) {
      torch::NoGradGuard noGrad;
      stats.push_back(out.detach().abs().max().to(torch::kFloat));
    }
    if (observer_ && step.kind != StepKind::Param)
      observer_(observed++, out);
    values[step.output] = std::move(out);
    for (int v : step.release)
      values[v] = Tensor();
  }
  if (tracking_)
    stats_ = stats.empty() ? Tensor() : at::stack(stats);
  if (reestimating_)
    ++reestimatedForwards_;
  return values[result_];
}

bool HeModule::hasBatchNorm() const {
  return std::any_of(steps_.begin(), steps_.end(), [](const Step &step) {
    return step.kind == StepKind::BatchNorm;
  });
}

std::vector<Tensor> HeModule::batchNormStatistics() const {
  std::map<int, Tensor> params; // value number -> tensor
  for (const Step &step : steps_)
    if (step.kind == StepKind::Param)
      params[step.output] = step.tensor;
  std::vector<Tensor> out;
  for (const Step &step : steps_)
    if (step.kind == StepKind::BatchNorm) {
      out.push_back(params.at(step.inputs[3]));
      out.push_back(params.at(step.inputs[4]));
    }
  return out;
}

void HeModule::beginBatchNormReestimation() {
  eval();
  torch::NoGradGuard noGrad;
  std::vector<Tensor> statistics = batchNormStatistics();
  for (size_t i = 0; i < statistics.size(); i += 2) {
    statistics[i].zero_();      // running mean
    statistics[i + 1].fill_(1); // running variance
  }
  reestimating_ = true;
  reestimatedForwards_ = 0;
}

void HeModule::endBatchNormReestimation() { reestimating_ = false; }

bool HeModule::hasTrainablePolynomials() const {
  for (const PolyCoeffs &p : polys_)
    if (p.trainable)
      return true;
  return false;
}

void HeModule::beginReluFit() {
  fits_.assign(polys_.size(), std::nullopt);
  for (size_t i = 0; i < polys_.size(); ++i)
    if (polys_[i].trainable)
      fits_[i].emplace(polys_[i].param.numel() - 1,
                       polys_[i].effective()[0].item<double>());
}

std::vector<std::pair<std::string, std::vector<double>>>
HeModule::endReluFit() {
  std::vector<std::pair<std::string, std::vector<double>>> fitted;
  torch::NoGradGuard noGrad;
  for (size_t i = 0; i < fits_.size(); ++i) {
    std::optional<std::vector<double>> c =
        fits_[i] ? fits_[i]->solve() : std::nullopt;
    if (!c)
      continue;
    PolyCoeffs &p = polys_[i];
    Tensor effective = torch::tensor(*c, torch::kDouble)
                           .to(p.param.scalar_type())
                           .to(p.param.device());
    p.param.copy_(effective / p.scale);
    fitted.emplace_back(p.name, *c);
  }
  fits_.clear();
  return fitted;
}

void HeModule::abandonReluFit() { fits_.clear(); }
} // namespace he::runtime
