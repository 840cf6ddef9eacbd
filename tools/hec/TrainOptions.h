// The experiment as the runtime's options for one run: the one place where
// the front end's settings become runtime::TrainOptions.
#ifndef HEC_TOOLS_TRAINOPTIONS_H
#define HEC_TOOLS_TRAINOPTIONS_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Trainer.h"

namespace hec {
/// Every training setting of `experiment` for a run of `method` with
/// `seed` on `device` (checkpoints, callbacks and the resume point are the
/// caller's). `maxBatchesPerEpoch` > 0 trains a prefix of each epoch.
he::runtime::TrainOptions trainOptions(const he::frontend::Experiment &exp,
                                       he::frontend::Method method,
                                       int64_t seed, torch::Device device,
                                       int64_t maxBatchesPerEpoch = 0);
/// Images per forward when evaluating (and calibrating): 256 for images of
/// at most 64x64 pixels, else the training batch size, so that evaluating
/// at 224x224 needs no more activation memory than a training step.
int64_t evalBatchSize(const he::frontend::Experiment &exp);
} // namespace hec

#endif
