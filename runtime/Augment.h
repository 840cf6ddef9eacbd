// Training-time augmentation of normalised image batches ([data.augment]):
// random flips, rotation and colour jitter, drawn per sample.
//
// Every draw comes from a seed made of the run's seed, the epoch and the
// batch (augmentSeed), not from a stream that runs on: a resumed run
// augments the rest of its epoch as the uninterrupted one would, with no
// extra state in the checkpoint.
#ifndef HE_RUNTIME_AUGMENT_H
#define HE_RUNTIME_AUGMENT_H

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace he::runtime {

struct AugmentOptions {
  double rotation = 0; ///< uniform in [-rotation, rotation] degrees
  bool hflip = false;  ///< each sample mirrored left-right with p = 1/2
  bool vflip = false;  ///< ... and upside down with p = 1/2
  /// Brightness, contrast and (three channels only) saturation, each
  /// scaled by a factor uniform in [max(0, 1 - j), 1 + j], in that order.
  double colorJitter = 0;
  /// The normalisation the images went through (one value per channel, or
  /// one for all): jitter works on pixel values in [0, 1], and rotation
  /// fills the corners with black, not with the mean.
  std::vector<double> mean{0.0}, std{1.0};

  bool enabled() const {
    return rotation > 0 || hflip || vflip || colorJitter > 0;
  }
};

/// The seed of one batch's draws.
uint64_t augmentSeed(uint64_t runSeed, int64_t epoch, int64_t batch);

/// An augmented copy of `images` ([N, C, H, W], normalised, on any device);
/// the same seed gives the same result. Throws Error when mean/std do not
/// fit the channel count.
torch::Tensor augmentBatch(const torch::Tensor &images, const AugmentOptions &o,
                           uint64_t seed);
} // namespace he::runtime

#endif
