#include "tools/hec/TrainOptions.h"

#include "lib/Frontend/Methods.h"

using namespace he;

runtime::TrainOptions hec::trainOptions(const frontend::Experiment &exp,
                                        frontend::Method method, int64_t seed,
                                        torch::Device device,
                                        int64_t maxBatchesPerEpoch) {
  const frontend::TrainingConfig &t = exp.training;
  const frontend::MethodSpec &spec = frontend::specOf(method);
  runtime::TrainOptions o;
  o.epochs = int(t.epochs);
  o.batchSize = t.batchSize;
  o.lr = t.lr;
  o.lrSchedule = t.lrSchedule;
  o.beta1 = t.betas[0];
  o.beta2 = t.betas[1];
  o.eps = t.eps;
  o.weightDecay = t.weightDecay;
  o.gradClip = t.gradClip;
  o.coeffLr = exp.polynomial.coeffLr;
  // The polynomials' trainable coefficients c_0, c_1 (b), c_2 (a).
  if (spec.polynomial())
    o.coefficientScales = {1.0, exp.polynomial.scaleB, exp.polynomial.scaleA};
  o.fitPolynomials = frontend::fitsRelu(exp, method);
  o.seed = uint64_t(seed);
  o.threads = int(t.threads);
  o.device = device;
  o.useTransition = spec.transition;
  o.e0 = int(exp.transition.startEpoch);
  o.d = int(exp.transition.epochs);
  o.lambdaPerBatch = exp.transition.perBatch;
  o.poolMode = exp.pooling.replace;
  const frontend::DataConfig &data = exp.data;
  o.augment.rotation = data.augment.rotation;
  o.augment.hflip = data.augment.hflip;
  o.augment.vflip = data.augment.vflip;
  o.augment.colorJitter = data.augment.colorJitter;
  if (!data.mean.empty()) {
    o.augment.mean = data.mean;
    o.augment.std = data.std;
  }
  o.kd.enabled = spec.distillation;
  o.kd.tau = exp.distillation.temperature;
  o.kd.alpha = exp.distillation.alpha;
  o.maxBatchesPerEpoch = maxBatchesPerEpoch;
  o.activationBound = t.activationBound;
  o.keepGoingOnNan = t.keepGoingOnNan;
  o.reestimateBatchNorm = t.reestimateBatchNorm;
  o.evalBatchSize = evalBatchSize(exp);
  return o;
}

int64_t hec::evalBatchSize(const frontend::Experiment &exp) {
  const auto &size = exp.data.imageSize;
  return size[1] * size[2] <= 64 * 64 ? 256 : exp.training.batchSize;
}
