// Activation ranges of a network over a data set, in eval mode: the
// minimum, the maximum and the 99.99th percentile of |x| of its input and of
// every step's result (the numbers tools/hec/Calibrate.cpp records on the
// ops as he.range / he.input_range).
#ifndef HE_RUNTIME_CALIBRATE_H
#define HE_RUNTIME_CALIBRATE_H

#include "runtime/Data.h"
#include "runtime/HeModule.h"

#include <vector>

namespace he::runtime {
/// Thrown by observeRanges() when the input or a step's result holds a NaN:
/// a range of NaN means nothing (its histogram's bins were once negative
/// indices that LibTorch refused with a backtrace). A network that produces
/// them has diverged. Infinities are ordered and recorded as they are.
class NonFiniteActivations : public Error {
public:
  using Error::Error;
};

struct ObservedRange {
  double min = 0, max = 0;
  /// The 99.99th percentile of |x|, from a histogram of log2|x| with 16
  /// bins per octave: the upper edge of the percentile's bin (at most 4.4%
  /// above the exact value), never above max |x|.
  double absP9999 = 0;
};

struct ObservedRanges {
  ObservedRange input;
  /// One per step an observer sees (HeModule::observedStepCount()), in
  /// execution order.
  std::vector<ObservedRange> steps;
};

/// Runs `net` in eval mode, without gradients, over every image of `data`
/// in batches of `batchSize` on `device`, and returns the ranges. The
/// module's mode is restored afterwards. Throws NonFiniteActivations,
/// naming the first such step, when a value is NaN.
ObservedRanges observeRanges(HeModule &net, const Dataset &data,
                             int64_t batchSize, torch::Device device);
} // namespace he::runtime

#endif
