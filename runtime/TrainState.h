// Internal to the trainer: a training run's state to and from a Checkpoint
// (the entries are listed in TrainState.cpp).
#ifndef HE_RUNTIME_TRAINSTATE_H
#define HE_RUNTIME_TRAINSTATE_H

#include "runtime/Checkpoint.h"
#include "runtime/Trainer.h"

#include <torch/optim/adam.h>

namespace he::runtime {
/// Where the run stands: the epoch it is in or about to start (1-based),
/// and the sums of that epoch's batches so far.
struct Progress {
  int epoch = 1;
  bool inEpoch = false; ///< the epoch's batch order is drawn already
  int64_t batch = 0;    ///< batches done in `epoch`
  double lossSum = 0;
  int64_t correct = 0, seen = 0, skipped = 0, clipped = 0;
  double gradNormSum = 0, gradNormMax = 0;
  double seconds = 0; ///< training time spent in `epoch` so far
};

Checkpoint saveTrainState(HeModule &model, torch::optim::Adam &adam,
                          const BatchIterator &batches, const RunResult &result,
                          const Progress &progress,
                          const TrainOptions &options);

/// Loads `checkpoint` into the model, the optimiser (built on the model's
/// parameters already moved to options.device), the batch iterator, torch's
/// random generators and `result`; returns the progress to continue from.
/// Throws CheckpointError naming the file when it does not fit.
Progress restoreTrainState(const Checkpoint &checkpoint, HeModule &model,
                           torch::optim::Adam &adam, BatchIterator &batches,
                           RunResult &result, const TrainOptions &options);

std::vector<EpochMetrics> epochsOf(const Checkpoint &checkpoint);

/// What a training step changes before its optimiser step (which a stop
/// never interrupts): the progress, the batch taken, torch's generators
/// (dropout) and the batch norms' running statistics. Taken at the step's
/// start, so that a stop inside its forward or backward pass
/// (HeModule::setInterruptCheck) leaves the run at the batch boundary
/// before it, where the checkpoint then stands.
struct StepStart {
  Progress progress;
  int64_t position = 0;
  torch::Tensor rngCpu, rngDevice;
  std::vector<torch::Tensor> statistics; // copies
};
StepStart stepStart(const HeModule &model, const BatchIterator &batches,
                    const Progress &progress, torch::Device device);
/// Puts back what `start` holds.
void returnToStepStart(const StepStart &start, HeModule &model,
                       BatchIterator &batches, Progress &progress,
                       torch::Device device);
} // namespace he::runtime

#endif
