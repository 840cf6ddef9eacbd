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

#include "lib/Schedule/Schedule.h"
#include "runtime/Augment.h"
#include "runtime/Data.h"

#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace he::runtime {
class Checkpoint;
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
  /// Every group's rate is its base rate (lr, coeffLr) times
  /// lrFactorAt(lrSchedule, epoch, epochs), set at the start of each epoch.
  LrSchedule lrSchedule = LrSchedule::Constant;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay = 0; ///< L2 on the non-coefficient parameters only
  double coeffLr = 1e-3;  ///< Adam learning rate of the poly coefficients
  /// Scales s_k per power k of the trainable polynomials
  /// (HeModule::setCoefficientScales), set before training starts; empty:
  /// the model's as they are.
  std::vector<double> coefficientScales;
  /// > 0: before each step, gradients whose global L2 norm (over every
  /// parameter) exceeds this are scaled down to it. The norm is measured
  /// either way and reported in EpochMetrics.
  double gradClip = 0;
  uint64_t seed = 0;
  int threads = 0; ///< at::set_num_threads; <= 0: every core
  torch::Device device = torch::kCPU;
  /// The transition: when useTransition, at the start of each epoch
  /// (1-based) every activation blend gets lambdaAt(epoch, e0, d) and every
  /// pool blend poolLambdaAt(poolMode, epoch, e0, d). Without it the
  /// blends keep the lambdas they have.
  bool useTransition = false;
  int e0 = 1;
  int d = 1;
  /// Set the blends' lambdas before every batch, to lambdaAt(epoch,
  /// batch / batches, e0, d), instead of once per epoch.
  bool lambdaPerBatch = false;
  PoolMode poolMode = PoolMode::Hard;
  /// Applied to every training batch (the teacher sees the same images),
  /// drawn from augmentSeed(seed, epoch, batch).
  AugmentOptions augment;
  KdOptions kd;
  /// Divergence: a non-finite loss, or (when > 0) any layer's max
  /// |activation| above this bound, stops the run. Activations are tracked
  /// (one reduction per op per batch) only when this is > 0.
  double activationBound = 0;
  /// A batch whose loss (or activations) is not finite is skipped (no
  /// optimiser step) and counted in EpochMetrics::skippedBatches instead of
  /// stopping the run. The activation bound still stops it.
  bool keepGoingOnNan = false;
  /// Before each epoch's evaluation, re-estimate the batch-norm statistics
  /// over the whole training set (HeModule::beginBatchNormReestimation):
  /// the running averages lag weights that still move, and were gathered
  /// with dropout on.
  bool reestimateBatchNorm = false;
  /// At the start of the first epoch in which the polynomials act (e0
  /// with the transition, else 1), set every trainable polynomial to the
  /// least-squares fit of ReLU on its inputs (runtime/ReluFitOnInputs.h),
  /// measured in eval mode on the first 5,120 training images. A run resumed
  /// within that epoch keeps the fitted coefficients of its checkpoint.
  bool fitPolynomials = false;
  int64_t maxBatchesPerEpoch = 0; ///< > 0: a quick run over a prefix
  int64_t evalBatchSize = 256;
  /// Called after each epoch.
  std::function<void(const EpochMetrics &)> onEpoch;
  /// Called after each training batch (epoch, batch and batches per epoch
  /// 1-based, the batch's loss): for progress displays.
  std::function<void(int epoch, int64_t batch, int64_t batches, double loss)>
      onBatch;
  /// Called with a line for what neither onEpoch nor the result carries:
  /// the first skipped batch of an epoch, the polynomials fitted to ReLU.
  std::function<void(const std::string &)> log;

  /// Checkpoints (runtime/Checkpoint.h): when not empty, a checkpoint is
  /// written here atomically after every epoch and when stopRequested
  /// stops the run: model, optimiser, every random state, the position in
  /// the epoch, lambdas, metrics so far, and `checkpointInfo` as entries
  /// "info.<key>". A diverged run writes none, so the last good one stays.
  std::string checkpointPath;
  std::map<std::string, std::string> checkpointInfo;
  /// Continue from this checkpoint (of the same model, data and options):
  /// the run then gives the numbers, bit for bit, of one never stopped.
  /// Throws CheckpointError when it does not fit.
  const Checkpoint *resume = nullptr;
  /// Polled at every batch boundary: true stops the run (with a checkpoint
  /// when checkpointPath is set) and marks it interrupted. Between the
  /// boundaries (the ReLU fit, batch-norm re-estimation, evaluation) the
  /// process's poll of runtime/Stop.h is asked before every batch; a stop
  /// there ends the run the same way, with the checkpoint of the boundary
  /// before it.
  std::function<bool()> stopRequested;
};

struct EpochMetrics {
  int epoch = 0;            ///< 1-based
  double loss = 0;          ///< mean training loss over the epoch's batches
  double trainAccuracy = 0; ///< on the training batches, in train mode
  double testAccuracy = 0;
  double testMacroF1 = 0;
  double lambda = 0; ///< activation lambda (0 without transition)
  double lr = 0;     ///< the epoch's learning rate (not the coefficients')
  PoolMode poolMode = PoolMode::Hard;
  double poolLambda = 0;
  double seconds = 0; ///< training time of the epoch (without the test)
  double imagesPerSecond = 0;
  /// Batches skipped for a non-finite loss (TrainOptions::keepGoingOnNan).
  int64_t skippedBatches = 0;
  /// The global L2 norm of the gradients before clipping: mean and largest
  /// over the epoch's steps, and how many steps TrainOptions::gradClip
  /// scaled down.
  double gradNormMean = 0, gradNormMax = 0;
  int64_t clippedBatches = 0;
  /// Effective coefficients of every poly_act after the epoch.
  std::vector<std::pair<std::string, std::vector<double>>> coefficients;
};

struct RunResult {
  std::vector<EpochMetrics> epochs;
  double testAccuracy = 0; ///< of the final model (0 if diverged first)
  double testMacroF1 = 0;
  torch::Tensor confusion;
  bool diverged = false;
  /// Stopped by TrainOptions::stopRequested; `epochs` has the finished ones.
  bool interrupted = false;
  /// Why it stopped: "epoch 3, batch 17: layer conv2 (net.mlir:9:8) has
  /// activations up to 3.2e+05 > bound 1e+04".
  std::string message;
};

/// Sets LibTorch's intra-op thread count for this process: `threads`, or
/// every core when it is <= 0 (training.threads).
void useThreads(int threads);

/// The global L2 norm of the optimiser's gradients, computed as
/// torch::nn::utils::clip_grad_norm_ does; when maxNorm > 0 and the norm
/// exceeds it, the gradients are scaled to norm maxNorm. Unlike
/// clip_grad_norm_, gradients within the bound are left untouched, so a run
/// without clipping keeps its numbers bit for bit.
double clipGradients(torch::optim::Optimizer &optimizer, double maxNorm);

/// Trains `model` on `train`, evaluating on `test` after each epoch. With
/// options.kd.enabled, `teacher` (required then) gives the soft targets; it
/// is put in eval mode, moved to the device and never updated. The model is
/// moved to options.device. Throws Error on invalid options.
RunResult train(HeModule &model, const Dataset &train, const Dataset &test,
                const TrainOptions &options, HeModule *teacher = nullptr);

/// The metrics of the epochs a checkpoint has finished, and the position
/// it resumes at (1-based epoch, batches done in it).
struct CheckpointProgress {
  std::vector<EpochMetrics> epochs;
  int epoch = 1;
  int64_t batch = 0;
};
CheckpointProgress checkpointProgress(const Checkpoint &checkpoint);
} // namespace he::runtime

#endif
