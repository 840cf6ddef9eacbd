// The training loop of runtime::train(): epochs of steps, each piece named
// for what it does (beginEpoch, trainEpoch, step, diverged, endEpoch).
#include "runtime/Allocator.h"
#include "runtime/Distill.h"
#include "runtime/HeModule.h"
#include "runtime/Metrics.h"
#include "runtime/Stop.h"
#include "runtime/TrainState.h"
#include "runtime/TrainSteps.h"

#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <optional>

namespace he::runtime {
namespace {
/// One run of train(): set up in the constructor, then epochs of steps,
/// each piece named for what it does. Determinism is the constructor's
/// (seeds, threads) and the batches' (order, augmentation seeds).
class TrainLoop {
public:
  TrainLoop(HeModule &model, const Dataset &trainData, const Dataset &testData,
            const TrainOptions &o, HeModule *teacher)
      : model_(model), trainData_(trainData), testData_(testData), o_(o),
        teacher_(teacher) {
    checkTrainOptions(o, teacher);
    retainFreedMemory();
    torch::manual_seed(o.seed);
    useThreads(o.threads);
    if (!o.coefficientScales.empty())
      model.setCoefficientScales(o.coefficientScales);
    model.to(o.device);
    if (o.kd.enabled) {
      teacher->to(o.device);
      teacher->eval();
    }
    track_ = o.activationBound > 0;
    model.setActivationTracking(track_);
    adam_ = makeAdam(model, o);
    for (auto &group : adam_->param_groups())
      baseLrs_.push_back(
          static_cast<torch::optim::AdamOptions &>(group.options()).lr());
    batches_ =
        std::make_unique<BatchIterator>(trainData, o.batchSize,
                                        /*shuffle=*/true, o.seed, o.device);
    if (o.resume)
      p_ = restoreTrainState(*o.resume, model, *adam_, *batches_, result_, o);
  }

  RunResult run() {
    try {
      while (p_.epoch <= o_.epochs) {
        EpochMetrics m = beginEpoch();
        if (!trainEpoch(m))
          return std::move(result_); // interrupted or diverged
        endEpoch(std::move(m));
      }
      if (o_.epochs == 0)
        recordEvaluation();
    } catch (const Interrupted &) {
      // A stop request (runtime/Stop.h) in the ReLU fit before an epoch's
      // first batch, or in the re-estimation or evaluation after its last.
      // None of them has changed what the checkpoint holds (the fit sets
      // coefficients only at its end; a re-estimation starts from reset
      // statistics; neither draws random numbers), so this is the
      // checkpoint of the batch boundary the stretch began at, and the
      // resumed run does the stretch again.
      stop();
    }
    return std::move(result_);
  }

private:
  // λ, the ReLU fit, the learning rate and the batch order of p_.epoch.
  EpochMetrics beginEpoch() {
    int epoch = p_.epoch;
    EpochMetrics m;
    m.epoch = epoch;
    m.poolMode = o_.poolMode;
    if (o_.useTransition)
      setLambdas(lambdaAt(epoch, o_.e0, o_.d),
                 poolLambdaAt(o_.poolMode, epoch, o_.e0, o_.d));
    m.lambda = o_.useTransition ? lambdaAt(epoch, o_.e0, o_.d) : 0.0;
    m.poolLambda =
        o_.useTransition ? poolLambdaAt(o_.poolMode, epoch, o_.e0, o_.d) : 0.0;
    if (o_.fitPolynomials && !p_.inEpoch &&
        epoch == (o_.useTransition ? o_.e0 : 1))
      fitPolynomialsToRelu(model_, trainData_, o_, epoch);
    double lrFactor = lrFactorAt(o_.lrSchedule, epoch, o_.epochs);
    setLrFactor(*adam_, baseLrs_, lrFactor);
    m.lr = o_.lr * lrFactor;
    model_.train();
    // Augmentation runs with the batch's preparation, off this thread; its
    // draws depend on (seed, epoch, batch) only.
    if (o_.augment.enabled())
      batches_->setTransform(
          [&o = o_, epoch](torch::Tensor images, int64_t batch) {
            return augmentBatch(images, o.augment,
                                augmentSeed(o.seed, epoch, batch));
          });
    if (!p_.inEpoch) {
      batches_->reset();
      p_.inEpoch = true;
      p_.batch = p_.correct = p_.seen = p_.skipped = p_.clipped = 0;
      p_.lossSum = p_.seconds = p_.gradNormSum = p_.gradNormMax = 0;
    }
    return m;
  }

  // The epoch's batches; false when the run stops (interrupted: with a
  // checkpoint; diverged: without). A stop is seen before each batch and,
  // with a stop poll, inside each step's forward and backward passes too:
  // the step is then undone back to its batch boundary.
  bool trainEpoch(EpochMetrics &m) {
    epochStart_ = std::chrono::steady_clock::now();
    batchesThisEpoch_ = batches_->batchesPerEpoch();
    if (o_.maxBatchesPerEpoch > 0)
      batchesThisEpoch_ = std::min(batchesThisEpoch_, o_.maxBatchesPerEpoch);
    torch::Tensor images, labels;
    while (o_.maxBatchesPerEpoch <= 0 || p_.batch < o_.maxBatchesPerEpoch) {
      if (o_.stopRequested && o_.stopRequested())
        return stopInEpoch();
      std::optional<StepStart> start;
      double lambdas[] = {activationLambda_, poolLambda_};
      if (o_.stopRequested)
        start = stepStart(model_, *batches_, p_, o_.device);
      if (!batches_->next(images, labels))
        break;
      try {
        if (!step(m.epoch, ++p_.batch, images, labels))
          return false;
      } catch (const Interrupted &) {
        if (!start)
          throw; // not the step's own checks
        returnToStepStart(*start, model_, *batches_, p_, o_.device);
        if (o_.useTransition && o_.lambdaPerBatch)
          setLambdas(lambdas[0], lambdas[1]);
        return stopInEpoch();
      }
    }
    return true;
  }

  void setLambdas(double activation, double pool) {
    model_.setActivationLambda(activation);
    model_.setPoolLambda(pool);
    activationLambda_ = activation;
    poolLambda_ = pool;
  }

  // Within a step: the stop poll asked before each op of the forward
  // passes (the model's, the teacher's) and of the backward pass.
  struct InterruptChecks {
    InterruptChecks(HeModule &model, HeModule *teacher,
                    const std::function<bool()> &stop)
        : model(model), teacher(teacher) {
      if (!stop)
        return;
      auto check = [&stop] {
        if (stop())
          throw Interrupted("stopped while training a batch");
      };
      model.setInterruptCheck(check);
      if (teacher)
        teacher->setInterruptCheck(check);
    }
    ~InterruptChecks() {
      model.setInterruptCheck({});
      if (teacher)
        teacher->setInterruptCheck({});
    }
    HeModule &model;
    HeModule *teacher;
  };

  // One optimiser step on a batch; false when the run diverged.
  bool step(int epoch, int64_t batch, const torch::Tensor &images,
            const torch::Tensor &labels) {
    if (o_.useTransition && o_.lambdaPerBatch) {
      double fraction = double(batch) / double(batchesThisEpoch_);
      setLambdas(lambdaAt(epoch, fraction, o_.e0, o_.d),
                 poolLambdaAt(o_.poolMode, epoch, fraction, o_.e0, o_.d));
    }
    adam_->zero_grad();
    std::optional<InterruptChecks> checks(std::in_place, model_, teacher_,
                                          o_.stopRequested);
    torch::Tensor logits = model_.forward(images);
    torch::Tensor loss = lossOf(logits, images, labels);
    double lossValue = loss.item<double>();
    std::optional<LayerActivation> bad;
    if (track_)
      bad = model_.firstDivergentLayer(o_.activationBound);
    bool nonFinite =
        !std::isfinite(lossValue) || (bad && !std::isfinite(bad->maxAbs));
    if (nonFinite && o_.keepGoingOnNan) {
      if (p_.skipped++ == 0)
        log(fmt::format("epoch {}, batch {}: the loss is {}; skipping such "
                        "batches (keep_going_on_nan)",
                        epoch, batch, lossValue));
      return true;
    }
    if (!std::isfinite(lossValue) || bad) {
      diverged(epoch, batch, images, lossValue, bad);
      return false;
    }
    loss.backward();
    checks.reset(); // nothing after this point stops the step
    double gradNorm = clipGradients(*adam_, o_.gradClip);
    p_.gradNormSum += gradNorm;
    p_.gradNormMax = std::max(p_.gradNormMax, gradNorm);
    p_.clipped += o_.gradClip > 0 && gradNorm > o_.gradClip;
    adam_->step();
    p_.lossSum += lossValue;
    p_.correct += (logits.argmax(1) == labels).sum().item<int64_t>();
    p_.seen += labels.size(0);
    if (o_.onBatch)
      o_.onBatch(epoch, batch, batches_->batchesPerEpoch(), lossValue);
    return true;
  }

  // Cross-entropy, or with distillation the teacher's soft targets too.
  torch::Tensor lossOf(const torch::Tensor &logits, const torch::Tensor &images,
                       const torch::Tensor &labels) {
    if (!o_.kd.enabled)
      return at::cross_entropy_loss(logits, labels);
    torch::Tensor teacherLogits;
    {
      torch::NoGradGuard noGrad;
      teacherLogits = teacher_->forward(images);
    }
    return distillationLoss(logits, teacherLogits, labels, o_.kd.tau,
                            o_.kd.alpha);
  }

  // Records why the run stopped: the layer whose activations went past the
  // bound or non-finite (found by running the batch again with the
  // statistics on when they were off), else the loss.
  void diverged(int epoch, int64_t batch, const torch::Tensor &images,
                double lossValue, std::optional<LayerActivation> bad) {
    if (!std::isfinite(lossValue) && !track_) {
      torch::NoGradGuard noGrad;
      model_.setActivationTracking(true);
      model_.forward(images);
      bad = model_.firstDivergentLayer(0);
      model_.setActivationTracking(false);
    }
    result_.diverged = true;
    std::string where = fmt::format("epoch {}, batch {}", epoch, batch);
    if (bad && std::isfinite(bad->maxAbs))
      result_.message =
          fmt::format("{}: layer {} has activations up to {:g} > bound {:g}",
                      where, bad->label, bad->maxAbs, o_.activationBound);
    else if (bad)
      result_.message = fmt::format("{}: layer {} has non-finite activations",
                                    where, bad->label);
    else
      result_.message = fmt::format("{}: the loss is {}", where, lossValue);
  }

  // The epoch's metrics, its evaluation and its checkpoint.
  void endEpoch(EpochMetrics m) {
    int64_t steps = p_.batch - p_.skipped;
    m.seconds = elapsed();
    p_.seconds = m.seconds; // the training time, should a stop come next
    m.loss = steps ? p_.lossSum / double(steps) : 0.0;
    m.trainAccuracy = p_.seen ? double(p_.correct) / double(p_.seen) : 0.0;
    m.imagesPerSecond = m.seconds > 0 ? double(p_.seen) / m.seconds : 0.0;
    m.skippedBatches = p_.skipped;
    m.gradNormMean = steps ? p_.gradNormSum / double(steps) : 0.0;
    m.gradNormMax = p_.gradNormMax;
    m.clippedBatches = p_.clipped;
    if (o_.reestimateBatchNorm)
      reestimateBatchNorm(model_, trainData_, o_);
    EvalResult eval = recordEvaluation();
    m.testAccuracy = eval.accuracy;
    m.testMacroF1 = eval.macroF1;
    m.coefficients = model_.coefficients();
    if (o_.onEpoch)
      o_.onEpoch(m);
    result_.epochs.push_back(std::move(m));
    int next = p_.epoch + 1;
    p_ = Progress();
    p_.epoch = next;
    checkpoint();
  }

  EvalResult recordEvaluation() {
    EvalResult eval = evaluate(model_, testData_, o_.evalBatchSize, o_.device);
    result_.testAccuracy = eval.accuracy;
    result_.testMacroF1 = eval.macroF1;
    result_.confusion = eval.confusion;
    return eval;
  }

  // A stop request at a batch boundary: its checkpoint, and the run ends
  // interrupted.
  void stop() {
    checkpoint();
    result_.interrupted = true;
  }

  // The same within an epoch, whose time so far the checkpoint keeps;
  // false, for trainEpoch to return.
  bool stopInEpoch() {
    p_.seconds = elapsed();
    stop();
    return false;
  }

  void checkpoint() {
    if (!o_.checkpointPath.empty())
      writeCheckpoint(
          o_.checkpointPath,
          saveTrainState(model_, *adam_, *batches_, result_, p_, o_));
  }

  double elapsed() const {
    return p_.seconds + std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - epochStart_)
                            .count();
  }

  void log(const std::string &line) const {
    if (o_.log)
      o_.log(line);
  }

  HeModule &model_;
  const Dataset &trainData_, &testData_;
  const TrainOptions &o_;
  HeModule *teacher_;
  bool track_ = false;
  std::unique_ptr<torch::optim::Adam> adam_;
  std::vector<double> baseLrs_;
  std::unique_ptr<BatchIterator> batches_;
  RunResult result_;
  Progress p_;
  std::chrono::steady_clock::time_point epochStart_;
  // The lambdas set last (per batch with lambdaPerBatch).
  double activationLambda_ = 0, poolLambda_ = 0;
  int64_t batchesThisEpoch_ = 0;
};
} // namespace

RunResult train(HeModule &model, const Dataset &trainData,
                const Dataset &testData, const TrainOptions &o,
                HeModule *teacher) {
  return TrainLoop(model, trainData, testData, o, teacher).run();
}

} // namespace he::runtime
