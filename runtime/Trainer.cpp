#include "runtime/Trainer.h"
#include "runtime/Allocator.h"
#include "runtime/Distill.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/TrainState.h"

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <thread>

namespace he::runtime {
namespace {
void check(const TrainOptions &o, const HeModule *teacher) {
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
  BatchIterator batches(train, o.batchSize, /*shuffle=*/false, 0);
  torch::Tensor images, labels;
  while (batches.next(images, labels, o.device))
    model.forward(images);
  model.endBatchNormReestimation();
}

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

void fitPolynomialsToRelu(HeModule &model, const Dataset &train,
                          const TrainOptions &o, int epoch) {
  if (!model.hasTrainablePolynomials())
    return;
  torch::NoGradGuard noGrad;
  model.eval();
  model.beginReluFit();
  BatchIterator batches(train, kReluFitBatchSize, /*shuffle=*/false, 0);
  torch::Tensor images, labels;
  int64_t seen = 0;
  for (int64_t b = 0;
       b < kReluFitBatches && batches.next(images, labels, o.device); ++b) {
    model.forward(images);
    seen += images.size(0);
  }
  auto fitted = model.endReluFit();
  if (o.log)
    o.log(fmt::format("epoch {}: polynomials fitted to ReLU on {} training "
                      "images: {}",
                      epoch, seen,
                      fitted.empty() ? "none" : formatFit(fitted)));
}
} // namespace

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

RunResult train(HeModule &model, const Dataset &trainData,
                const Dataset &testData, const TrainOptions &o,
                HeModule *teacher) {
  check(o, teacher);
  retainFreedMemory();
  torch::manual_seed(o.seed);
  useThreads(o.threads);
  model.to(o.device);
  if (o.kd.enabled) {
    teacher->to(o.device);
    teacher->eval();
  }
  bool track = o.activationBound > 0;
  model.setActivationTracking(track);
  auto adam = makeAdam(model, o);
  std::vector<double> baseLrs;
  for (auto &group : adam->param_groups())
    baseLrs.push_back(
        static_cast<torch::optim::AdamOptions &>(group.options()).lr());
  BatchIterator batches(trainData, o.batchSize, /*shuffle=*/true, o.seed);
  RunResult result;
  auto log = [&](const std::string &line) {
    if (o.log)
      o.log(line);
  };
  Progress p;
  if (o.resume) {
    p = restoreTrainState(*o.resume, model, *adam, batches, result, o);
  }
  auto checkpoint = [&] {
    if (!o.checkpointPath.empty())
      writeCheckpoint(o.checkpointPath,
                      saveTrainState(model, *adam, batches, result, p, o));
  };

  while (p.epoch <= o.epochs) {
    int epoch = p.epoch;
    EpochMetrics m;
    m.epoch = epoch;
    m.poolMode = o.poolMode;
    if (o.useTransition) {
      model.setActivationLambda(lambdaAt(epoch, o.e0, o.d));
      model.setPoolLambda(poolLambdaAt(o.poolMode, epoch, o.e0, o.d));
    }
    m.lambda = o.useTransition ? lambdaAt(epoch, o.e0, o.d) : 0.0;
    m.poolLambda =
        o.useTransition ? poolLambdaAt(o.poolMode, epoch, o.e0, o.d) : 0.0;
    if (o.fitPolynomials && !p.inEpoch && epoch == (o.useTransition ? o.e0 : 1))
      fitPolynomialsToRelu(model, trainData, o, epoch);
    double lrFactor = lrFactorAt(o.lrSchedule, epoch, o.epochs);
    setLrFactor(*adam, baseLrs, lrFactor);
    m.lr = o.lr * lrFactor;
    model.train();
    if (!p.inEpoch) {
      batches.reset();
      p.inEpoch = true;
      p.batch = p.correct = p.seen = p.skipped = p.clipped = 0;
      p.lossSum = p.seconds = p.gradNormSum = p.gradNormMax = 0;
    }
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return p.seconds + std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    };
    int64_t batchesThisEpoch = batches.batchesPerEpoch();
    if (o.maxBatchesPerEpoch > 0)
      batchesThisEpoch = std::min(batchesThisEpoch, o.maxBatchesPerEpoch);
    torch::Tensor images, labels;
    while (o.maxBatchesPerEpoch <= 0 || p.batch < o.maxBatchesPerEpoch) {
      if (o.stopRequested && o.stopRequested()) {
        p.seconds = elapsed();
        checkpoint();
        result.interrupted = true;
        return result;
      }
      if (!batches.next(images, labels, o.device))
        break;
      int64_t batch = ++p.batch;
      if (o.augment.enabled())
        images =
            augmentBatch(images, o.augment, augmentSeed(o.seed, epoch, batch));
      if (o.useTransition && o.lambdaPerBatch) {
        double fraction = double(batch) / double(batchesThisEpoch);
        model.setActivationLambda(lambdaAt(epoch, fraction, o.e0, o.d));
        model.setPoolLambda(
            poolLambdaAt(o.poolMode, epoch, fraction, o.e0, o.d));
      }
      adam->zero_grad();
      torch::Tensor logits = model.forward(images);
      torch::Tensor loss;
      if (o.kd.enabled) {
        torch::Tensor teacherLogits;
        {
          torch::NoGradGuard noGrad;
          teacherLogits = teacher->forward(images);
        }
        loss = distillationLoss(logits, teacherLogits, labels, o.kd.tau,
                                o.kd.alpha);
      } else {
        loss = at::cross_entropy_loss(logits, labels);
      }
      double lossValue = loss.item<double>();
      std::optional<LayerActivation> bad;
      if (track)
        bad = model.firstDivergentLayer(o.activationBound);
      bool nonFinite =
          !std::isfinite(lossValue) || (bad && !std::isfinite(bad->maxAbs));
      if (nonFinite && o.keepGoingOnNan) {
        if (p.skipped++ == 0)
          log(fmt::format("epoch {}, batch {}: the loss is {}; skipping such "
                          "batches (keep_going_on_nan)",
                          epoch, batch, lossValue));
        continue;
      }
      if (!std::isfinite(lossValue) && !track) {
        // Find the layer that went non-finite by running the batch again
        // with the statistics on (the run stops anyway).
        torch::NoGradGuard noGrad;
        model.setActivationTracking(true);
        model.forward(images);
        bad = model.firstDivergentLayer(0);
        model.setActivationTracking(false);
      }
      if (!std::isfinite(lossValue) || bad) {
        result.diverged = true;
        std::string where = fmt::format("epoch {}, batch {}", epoch, batch);
        if (bad && std::isfinite(bad->maxAbs))
          result.message = fmt::format(
              "{}: layer {} has activations up to {:g} > bound {:g}", where,
              bad->label, bad->maxAbs, o.activationBound);
        else if (bad)
          result.message = fmt::format(
              "{}: layer {} has non-finite activations", where, bad->label);
        else
          result.message = fmt::format("{}: the loss is {}", where, lossValue);
        return result;
      }
      loss.backward();
      double gradNorm = clipGradients(*adam, o.gradClip);
      p.gradNormSum += gradNorm;
      p.gradNormMax = std::max(p.gradNormMax, gradNorm);
      p.clipped += o.gradClip > 0 && gradNorm > o.gradClip;
      adam->step();
      p.lossSum += lossValue;
      p.correct += (logits.argmax(1) == labels).sum().item<int64_t>();
      p.seen += labels.size(0);
      if (o.onBatch)
        o.onBatch(epoch, batch, batches.batchesPerEpoch(), lossValue);
    }
    int64_t steps = p.batch - p.skipped;
    m.seconds = elapsed();
    m.loss = steps ? p.lossSum / double(steps) : 0.0;
    m.trainAccuracy = p.seen ? double(p.correct) / double(p.seen) : 0.0;
    m.imagesPerSecond = m.seconds > 0 ? double(p.seen) / m.seconds : 0.0;
    m.skippedBatches = p.skipped;
    m.gradNormMean = steps ? p.gradNormSum / double(steps) : 0.0;
    m.gradNormMax = p.gradNormMax;
    m.clippedBatches = p.clipped;
    if (o.reestimateBatchNorm)
      reestimateBatchNorm(model, trainData, o);
    EvalResult eval = evaluate(model, testData, o.evalBatchSize, o.device);
    m.testAccuracy = eval.accuracy;
    m.testMacroF1 = eval.macroF1;
    m.coefficients = model.coefficients();
    if (o.onEpoch)
      o.onEpoch(m);
    result.epochs.push_back(std::move(m));
    result.testAccuracy = eval.accuracy;
    result.testMacroF1 = eval.macroF1;
    result.confusion = eval.confusion;
    p = Progress();
    p.epoch = epoch + 1;
    checkpoint();
  }
  if (o.epochs == 0) {
    EvalResult eval = evaluate(model, testData, o.evalBatchSize, o.device);
    result.testAccuracy = eval.accuracy;
    result.testMacroF1 = eval.macroF1;
    result.confusion = eval.confusion;
  }
  return result;
}

CheckpointProgress checkpointProgress(const Checkpoint &checkpoint) {
  CheckpointProgress out;
  out.epochs = epochsOf(checkpoint);
  out.epoch = int(checkpoint.getInt("progress.epoch"));
  out.batch = checkpoint.getInt("progress.batch");
  return out;
}
} // namespace he::runtime
