// The training loop: Adam with the coefficients in their own parameter
// group, the lambda schedule of the smooth transition, optional knowledge
// distillation, per-epoch metrics, divergence detection and determinism.
//
// Determinism: train() seeds torch (torch::manual_seed(seed)) and the
// batch shuffle (BatchIterator with `seed`) and sets the thread count, so
// the same seed, device and threads give the same numbers bit for bit.
// The module's parameters are initialised when it is built: seed torch
// before building it (torch::manual_seed) for reproducible initial weights.
#ifndef HE_RUNTIME_TRAINER_H
#define HE_RUNTIME_TRAINER_H

#include "runtime/Data.h"
#include "runtime/Schedule.h"

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace he::runtime {
class HeModule;

struct KdOptions {
  bool enabled = false;
  double tau = 4.0;   ///< temperature
  double alpha = 0.9; ///< weight of the soft (teacher) term
};

struct EpochMetrics;

struct TrainOptions {
  int epochs = 10;
  int64_t batchSize = 64;
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay = 0; ///< L2 on the non-coefficient parameters only
  double coeffLr = 1e-3;  ///< Adam learning rate of the poly coefficients
  uint64_t seed = 0;
  int threads = 0; ///< at::set_num_threads; <= 0 leaves it as is
  torch::Device device = torch::kCPU;
  /// The transition: when useTransition, at the start of each epoch
  /// (1-based) every activation blend gets lambdaAt(epoch, e0, d) and every
  /// pool blend poolLambdaAt(poolMode, epoch, e0, d). Without it the
  /// blends keep the lambdas they have.
  bool useTransition = false;
  int e0 = 1;
  int d = 1;
  PoolMode poolMode = PoolMode::Hard;
  KdOptions kd;
  /// Divergence: a non-finite loss, or (when > 0) any layer's max
  /// |activation| above this bound, stops the run. Activations are tracked
  /// (one reduction per op per batch) only when this is > 0.
  double activationBound = 0;
  int64_t maxBatchesPerEpoch = 0; ///< > 0: a quick run over a prefix
  int64_t evalBatchSize = 256;
  /// Called after each epoch, and with progress lines.
  std::function<void(const EpochMetrics &)> onEpoch;
  /// Called after each training batch (epoch, batch and batches per epoch
  /// 1-based, the batch's loss): for progress displays.
  std::function<void(int epoch, int64_t batch, int64_t batches, double loss)>
      onBatch;
  std::function<void(const std::string &)> log;
};

struct EpochMetrics {
  int epoch = 0;            ///< 1-based
  double loss = 0;          ///< mean training loss over the epoch's batches
  double trainAccuracy = 0; ///< on the training batches, in train mode
  double testAccuracy = 0;
  double testMacroF1 = 0;
  double lambda = 0; ///< activation lambda (0 without transition)
  PoolMode poolMode = PoolMode::Hard;
  double poolLambda = 0;
  double seconds = 0; ///< training time of the epoch (without the test)
  double imagesPerSecond = 0;
  /// Effective coefficients of every poly_act after the epoch.
  std::vector<std::pair<std::string, std::vector<double>>> coefficients;
};

struct RunResult {
  std::vector<EpochMetrics> epochs;
  double testAccuracy = 0; ///< of the final model (0 if diverged first)
  double testMacroF1 = 0;
  torch::Tensor confusion;
  bool diverged = false;
  /// Why it stopped: "epoch 3, batch 17: layer conv2 (net.mlir:9:8) has
  /// activations up to 3.2e+05 > bound 1e+04".
  std::string message;
};

/// Trains `model` on `train`, evaluating on `test` after each epoch. With
/// options.kd.enabled, `teacher` (required then) gives the soft targets; it
/// is put in eval mode, moved to the device and never updated. The model is
/// moved to options.device. Throws Error on invalid options.
RunResult train(HeModule &model, const Dataset &train, const Dataset &test,
                const TrainOptions &options, HeModule *teacher = nullptr);
} // namespace he::runtime

#endif
