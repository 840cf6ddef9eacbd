// The schedules of a run, in one place for the front end (which checks and
// prints them) and the runtime (which follows them): the paper's transition
// schedule (the blend weight lambda per epoch), how pools move with it, and
// the learning rate over epochs. LibTorch-free.
//
// Epochs count from 1, as the paper counts them. The transition starts at
// epoch e0 and lasts d epochs:
//
//   lambdaAt(epoch, e0, d) = 0                                epoch <  e0
//                          = min(1, (epoch - e0 + 1) / d)     epoch >= e0
//
// so for e0 = 3, d = 4, epochs 1..8 get 0, 0, .25, .5, .75, 1, 1, 1: the
// network is fully polynomial from epoch e0 + d - 1 on. d <= 0 means a jump
// to 1 at e0.
#ifndef HE_SCHEDULE_SCHEDULE_H
#define HE_SCHEDULE_SCHEDULE_H

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace he {
/// The same line, batch by batch: `fraction` of epoch `epoch` done (in
/// (0, 1]); the per-epoch value is the one at fraction 1.
inline double lambdaAt(int64_t epoch, double fraction, int64_t e0, int64_t d) {
  if (epoch < e0)
    return 0.0;
  if (d <= 0)
    return 1.0;
  return std::min(1.0, (double(epoch - e0) + fraction) / double(d));
}

inline double lambdaAt(int64_t epoch, int64_t e0, int64_t d) {
  return lambdaAt(epoch, 1.0, e0, d);
}

/// How max-pools blended with avg-pools move: Hard jumps from 0 to 1 at e0,
/// Smooth follows the activations' lambdaAt.
enum class PoolMode { Hard, Smooth };

inline double poolLambdaAt(PoolMode mode, int64_t epoch, double fraction,
                           int64_t e0, int64_t d) {
  if (mode == PoolMode::Hard)
    return epoch < e0 ? 0.0 : 1.0;
  return lambdaAt(epoch, fraction, e0, d);
}
inline double poolLambdaAt(PoolMode mode, int64_t epoch, int64_t e0,
                           int64_t d) {
  return poolLambdaAt(mode, epoch, 1.0, e0, d);
}

inline const char *poolModeName(PoolMode mode) {
  return mode == PoolMode::Hard ? "hard" : "smooth";
}

/// The learning rate over epochs: Constant keeps it; Cosine anneals it per
/// epoch from the full rate at epoch 1 towards 0 after the last one,
///
///   lrFactorAt(epoch, epochs) = (1 + cos(pi * (epoch - 1) / epochs)) / 2,
///
/// so the polynomial phase at the end of a run trains at a small rate
/// instead of swinging at the full one (docs/results.md).
enum class LrSchedule { Constant, Cosine };

inline double lrFactorAt(LrSchedule schedule, int epoch, int epochs) {
  if (schedule == LrSchedule::Constant || epochs <= 0)
    return 1.0;
  const double pi = 3.14159265358979323846;
  return 0.5 * (1.0 + std::cos(pi * double(epoch - 1) / double(epochs)));
}
} // namespace he

namespace he::runtime {
using he::lambdaAt;
using he::lrFactorAt;
using he::LrSchedule;
using he::poolLambdaAt;
using he::PoolMode;
using he::poolModeName;
} // namespace he::runtime

#endif
