// The pieces of a training run that the loop (TrainLoop.cpp) calls and that
// live beside the public options (Trainer.cpp): the options' check, the
// optimiser, the learning rate, batch-norm re-estimation and the ReLU fit.
// Internal to the runtime.
#ifndef HE_RUNTIME_TRAINSTEPS_H
#define HE_RUNTIME_TRAINSTEPS_H

#include "runtime/Trainer.h"

#include <torch/optim/adam.h>

#include <memory>
#include <vector>

namespace he::runtime {
/// Throws Error "train: ..." on invalid options.
void checkTrainOptions(const TrainOptions &options, const HeModule *teacher);

/// Adam with the coefficients in their own group (rate coeffLr, no weight
/// decay) after the other parameters.
std::unique_ptr<torch::optim::Adam> makeAdam(HeModule &model,
                                             const TrainOptions &options);

/// Scales every group's rate to its base rate times `factor`.
void setLrFactor(torch::optim::Adam &adam, const std::vector<double> &baseLrs,
                 double factor);

/// Recomputes the batch norms' statistics over `train` (file order,
/// unaugmented) with the weights fixed.
void reestimateBatchNorm(HeModule &model, const Dataset &train,
                         const TrainOptions &options);

/// Sets every trainable polynomial to the least-squares fit of ReLU on its
/// inputs over the first training images, in eval mode; logs the fit.
void fitPolynomialsToRelu(HeModule &model, const Dataset &train,
                          const TrainOptions &options, int epoch);
} // namespace he::runtime

#endif
