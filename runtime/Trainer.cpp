#include "runtime/Trainer.h"
#include "runtime/Allocator.h"
#include "runtime/Distill.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/Stop.h"
#include "runtime/TrainState.h"
#include "runtime/TrainSteps.h"

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <thread>

namespace he::runtime {
void checkTrainOptions(const TrainOptions &o, const HeModule *teacher) {
  auto bad = [](const std::string &what) { throw Error("train: " + what); };
  if (o.epochs < 0)
    bad(fmt::format("epochs must be >= 0, got {}", o.epochs));
  if (o.batchSize < 1)
    bad(fmt::format("batch size must be >= 1, got {}", o.batchSize));
  if (!(o.gradClip >= 0))
    bad(fmt::format("gradient clipping needs a norm >= 0, got {}", o.gradClip));
  if (!(o.lr > 0) || !(o.coeffLr >= 0))
    bad(fmt::format("learning rates must be > 0, got lr {} and coeff_lr {}",
                    o.lr, o.coeffLr));
  if (o.useTransition && o.e0 < 1)
    bad(fmt::format("transition start e0 counts epochs from 1, got {}", o.e0));
  if (o.kd.enabled && !teacher)
    bad("knowledge distillation needs a teacher");
  if (o.kd.enabled && (!(o.kd.tau > 0) || o.kd.alpha < 0 || o.kd.alpha > 1))
    bad(fmt::format("kd needs tau > 0 and alpha in [0, 1], got {} and {}",
                    o.kd.tau, o.kd.alpha));
}

std::unique_ptr<torch::optim::Adam> makeAdam(HeModule &model,
                                             const TrainOptions &o) {
  auto options = [&](double lr, double decay) {
    return std::make_unique<torch::optim::AdamOptions>(
        torch::optim::AdamOptions(lr)
            .betas({o.beta1, o.beta2})
            .eps(o.eps)
            .weight_decay(decay));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  std::vector<torch::Tensor> others = model.otherParameters(),
                             coeffs = model.coefficientParameters();
  if (!others.empty())
    groups.emplace_back(others, options(o.lr, o.weightDecay));
  if (!coeffs.empty())
    groups.emplace_back(coeffs, options(o.coeffLr, 0.0));
  return std::make_unique<torch::optim::Adam>(groups,
                                              *options(o.lr, o.weightDecay));
}

/// Scales every group's rate to its base rate times `factor`; the base
/// rates are those makeAdam gave, in the same group order.
void setLrFactor(torch::optim::Adam &adam, const std::vector<double> &baseLrs,
                 double factor) {
  auto &groups = adam.param_groups();
  for (size_t i = 0; i < groups.size(); ++i)
    static_cast<torch::optim::AdamOptions &>(groups[i].options())
        .lr(baseLrs[i] * factor);
}

// One pass over the training images in file order, unaugmented: the
// statistics of what evaluation feeds the network.
void reestimateBatchNorm(HeModule &model, const Dataset &train,
                         const TrainOptions &o) {
  if (!model.hasBatchNorm())
    return;
  torch::NoGradGuard noGrad;
  model.beginBatchNormReestimation();
  // Ended also when a stop request ends the pass: the statistics are then
  // those of the batches so far, and the next re-estimation starts over.
  struct End {
    HeModule &model;
    ~End() { model.endBatchNormReestimation(); }
  } end{model};
  BatchIterator batches(train, o.batchSize, /*shuffle=*/false, 0, o.device);
  torch::Tensor images, labels;
  while (batches.next(images, labels)) {
    checkStop("re-estimating the batch-norm statistics");
    model.forward(images);
  }
}

namespace {
// The first 5,120 training images in file order, unaugmented, in eval
// mode: what the polynomials will see, without dropout's noise. A few
// thousand images pin the moments down; a full pass would cost a third of
// an epoch for nothing.
constexpr int64_t kReluFitBatches = 20, kReluFitBatchSize = 256;

std::string formatFit(
    const std::vector<std::pair<std::string, std::vector<double>>> &fitted) {
  std::string out;
  for (const auto &[name, c] : fitted) {
    std::string layer = name.substr(0, name.rfind(".coeffs"));
    out += fmt::format("{}{}", out.empty() ? "" : ", ", layer);
    for (size_t k = 1; k < c.size(); ++k)
      out += fmt::format(" {:+.3g}{}", c[k],
                         k == 1 ? "x" : fmt::format("x^{}", k));
  }
  return out;
}

} // namespace

void fitPolynomialsToRelu(HeModule &model, const Dataset &train,
                          const TrainOptions &o, int epoch) {
  if (!model.hasTrainablePolynomials())
    return;
  torch::NoGradGuard noGrad;
  model.eval();
  model.beginReluFit();
  BatchIterator batches(train, kReluFitBatchSize, /*shuffle=*/false, 0,
                        o.device);
  torch::Tensor images, labels;
  int64_t seen = 0;
  try {
    for (int64_t b = 0; b < kReluFitBatches && batches.next(images, labels);
         ++b) {
      checkStop("fitting the polynomials to ReLU");
      model.forward(images);
      seen += images.size(0);
    }
  } catch (...) {
    model.abandonReluFit(); // no coefficient changed
    throw;
  }
  auto fitted = model.endReluFit();
  if (o.log)
    o.log(fmt::format("epoch {}: polynomials fitted to ReLU on {} training "
                      "images: {}",
                      epoch, seen,
                      fitted.empty() ? "none" : formatFit(fitted)));
}

double clipGradients(torch::optim::Optimizer &optimizer, double maxNorm) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> grads, norms;
  for (auto &group : optimizer.param_groups())
    for (auto &param : group.params())
      if (param.grad().defined()) {
        grads.push_back(param.grad());
        norms.push_back(param.grad().norm(2));
      }
  if (grads.empty())
    return 0;
  double norm = torch::stack(norms).norm(2).item<double>();
  if (maxNorm > 0 && norm > maxNorm)
    for (torch::Tensor &g : grads)
      g.mul_(maxNorm / (norm + 1e-6));
  return norm;
}

void useThreads(int threads) {
  // Always set, also for "all cores": LibTorch 1.13 left at its default ran
  // alexnet_small's step at 884 images/s on 2 cores, and at 1571 once told
  // the same count (docs/performance.md).
  at::set_num_threads(
      threads > 0 ? threads
                  : int(std::max(1u, std::thread::hardware_concurrency())));
}

CheckpointProgress checkpointProgress(const Checkpoint &checkpoint) {
  CheckpointProgress out;
  out.epochs = epochsOf(checkpoint);
  out.epoch = int(checkpoint.getInt("progress.epoch"));
  out.batch = checkpoint.getInt("progress.batch");
  return out;
}
} // namespace he::runtime
