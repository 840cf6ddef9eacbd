// The bounds an experiment's values are checked against before anything
// trains (ExperimentLimits.cpp, Experiment.cpp, DataKeys.cpp), shared with
// the tools' options that override a key (hec --epochs). docs/reliability.md
// ("Bounds on resources", "Ranges of numbers") lists them with their
// reasons.
#ifndef HE_FRONTEND_EXPERIMENTLIMITS_H
#define HE_FRONTEND_EXPERIMENTLIMITS_H

#include <cstdint>

namespace he::frontend {
/// training.epochs, transition.start_epoch and transition.epochs (and hec
/// --epochs): the trainer counts epochs in an int, and a million epochs of
/// one image is already days.
constexpr int64_t kMaxEpochs = 1000000;
/// training.seeds: a run per seed and method; the paper uses 5.
constexpr int64_t kMaxSeeds = 1000;
/// training.lr and polynomial.coeff_lr: (0, 1e8]. LibTorch converts a rate
/// to f32 (1e300 overflowed); 1e7 is the divergence tests' rate.
constexpr double kMaxLearningRate = 1e8;
/// training.weight_decay: [0, 1e3] (the shipped experiments use 5e-4).
constexpr double kMaxWeightDecay = 1e3;
/// training.eps: [1e-30, 1]; below f32's smallest normal (1.2e-38) it
/// rounds to 0 and Adam divides by 0.
constexpr double kMinAdamEps = 1e-30;
/// polynomial.scale_a and scale_b: [1e-6, 1e6] (1e-300 diverged in the
/// first batch).
constexpr double kMinCoeffScale = 1e-6, kMaxCoeffScale = 1e6;
/// distillation.temperature: [0.01, 1000] (the paper's is 10; 1e-300
/// diverged in the first batch).
constexpr double kMinTemperature = 0.01, kMaxTemperature = 1000;
/// data.normalize.std >= 1e-6 (1e-320 made every input infinite) and
/// |data.normalize.mean| <= 1e6: pixels are in [0, 1].
constexpr double kMinNormalizeStd = 1e-6, kMaxNormalizeMean = 1e6;
/// A network's parameters (trainable and buffers, every file or zoo
/// network hec reads): 2^30, 16 GiB of weights, gradients and Adam's two
/// moments in f32 (AlexNet at 224x224 has 61 million). A he.param of 2^62
/// elements once reached LibTorch ("Storage size calculation overflowed").
constexpr int64_t kMaxParameters = int64_t(1) << 30;
} // namespace he::frontend

#endif // HE_FRONTEND_EXPERIMENTLIMITS_H
