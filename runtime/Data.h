// Data sets for training: images [N, C, H, W] and labels int64 [N]. Images
// are held as their pixels (uint8, often a memory-mapped decode cache,
// runtime/data/ImageCache.h) or as f32, and become normalised f32 batches
// only when a batch is gathered (Dataset::gather), so a data set of 224x224
// images never exists in f32 as a whole.
#ifndef HE_RUNTIME_DATA_H
#define HE_RUNTIME_DATA_H

#include "runtime/Error.h"

#include <torch/types.h>

#include <condition_variable>
#include <functional>
#include <future>
#include <random>
#include <string>
#include <vector>

namespace he::runtime {
struct Dataset {
  /// uint8 pixels [N, C', H, W] (scaled by 1/255 when gathered; C' = 1 is
  /// repeated to `channels` when that is 3), or f32 [N, C, H, W] as is.
  torch::Tensor images;
  torch::Tensor labels; ///< int64 [N], each in [0, numClasses)
  int64_t numClasses = 0;
  /// The class names in label order (empty: unnamed).
  std::vector<std::string> classNames;
  /// Normalisation applied to every gathered batch: (x - mean[c]) / std[c];
  /// empty: none. Set by normalise().
  std::vector<double> mean, std;
  /// Channels of the gathered batches (0: those of `images`).
  int64_t channels = 0;
  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  /// The channels of the gathered batches: `channels`, else those of
  /// `images`.
  int64_t batchChannels() const { return channels ? channels : images.size(1); }
  /// The samples at `index` (int64 [B]) as a normalised f32 batch
  /// [B, C, H, W] and their labels, on `device`.
  std::pair<torch::Tensor, torch::Tensor>
  gather(const torch::Tensor &index, torch::Device device = torch::kCPU) const;
  /// Every image as a normalised f32 tensor (tests and small data only).
  torch::Tensor floatImages() const;
};

/// An IDX image and label file pair (plain or .gz) as a Dataset: uint8
/// pixels [N, 1, H, W] (gathered as x / 255). Throws Error naming the path when
/// a file is missing or corrupt, when the label count differs from the image
/// count, or when a label is outside [0, numClasses).
Dataset loadIdxDataset(const std::string &imagesPath,
                       const std::string &labelsPath, int64_t numClasses);

/// Fashion-MNIST (or MNIST) from `dir`, which holds train-images-idx3-ubyte,
/// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
/// each plain or with ".gz". `train` picks the training or the test split.
Dataset loadFashionMnist(const std::string &dir, bool train);

/// Samples [from, to), images and labels alike (views, no copy).
Dataset slice(const Dataset &data, int64_t from, int64_t to);

/// The first `n` samples (all when n <= 0 or n >= size).
Dataset subset(const Dataset &data, int64_t n);

/// Per-channel mean and standard deviation of the images.
std::pair<std::vector<double>, std::vector<double>>
channelMeanStd(const Dataset &data);

/// `v` as a [1, C, 1, 1] tensor of like's dtype and device, C = like.size(1);
/// one value broadcasts to all channels. Throws Error "<who>: N values of
/// <what> for C channels" when the count fits neither.
torch::Tensor perChannel(std::vector<double> v, const torch::Tensor &like,
                         const char *who, const char *what);

/// Gathered batches become (x - mean[c]) / std[c]; one value broadcasts to
/// all channels. Throws Error on a zero std or a channel count mismatch.
void normalise(Dataset &data, const std::vector<double> &mean,
               const std::vector<double> &std);

/// A learnable toy data set, the same for the same arguments: each class is
/// a fixed random pattern (drawn from `seed`), each sample its class's
/// pattern plus Gaussian noise of std `noise`, so a tiny network separates
/// the classes in a few steps. Samples are drawn from (seed, split): split
/// 0 for training and 1 for testing give two sets of one task.
Dataset syntheticDataset(int64_t n, int64_t channels, int64_t height,
                         int64_t width, int64_t numClasses, uint64_t seed,
                         uint64_t split = 0, double noise = 0.5);

/// Batches of a data set in order, or in a seeded shuffle redrawn at each
/// reset(): the same seed gives the same batches. The next batch is
/// prepared (gathered, converted, normalised, transformed) on a background
/// thread while the caller works on the current one; what a batch holds
/// depends only on the order and its position, so prefetching changes no
/// number.
class BatchIterator {
public:
  /// Applied to each batch of images before next() returns it, on the
  /// prefetching thread: (images, 1-based batch number in the pass).
  using Transform = std::function<torch::Tensor(torch::Tensor, int64_t)>;

  BatchIterator(const Dataset &data, int64_t batchSize, bool shuffle,
                uint64_t seed, torch::Device device = torch::kCPU);
  ~BatchIterator();
  BatchIterator(const BatchIterator &) = delete;
  BatchIterator &operator=(const BatchIterator &) = delete;
  /// Sets the transform of the batches from now on (none when empty); a
  /// batch already prefetched is prepared again.
  void setTransform(Transform transform);
  /// Starts a new pass (a new permutation when shuffling).
  void reset();
  /// The next batch (images, labels) on the device; false at the end.
  bool next(torch::Tensor &images, torch::Tensor &labels);
  int64_t batchesPerEpoch() const;
  /// Where in the pass's order the next batch starts.
  int64_t position() const { return position_; }
  /// Goes back to `position` of this pass (one that position() returned
  /// before; a batch taken since is given again by the next next()).
  void rewind(int64_t position);

  /// Where the iterator stands (its random stream, the pass's order and
  /// position), so that another process can continue the same pass.
  struct State {
    std::string rng; ///< the std::mt19937_64 in its standard text form
    std::vector<int64_t> order;
    int64_t position = 0;
  };
  State state() const;
  /// Continues from `state`; throws Error if it does not fit this data set.
  void restore(const State &state);

private:
  using Batch = std::pair<torch::Tensor, torch::Tensor>;
  /// The batch that starts at `position` (prepared on any thread).
  Batch prepare(int64_t position) const;
  void prefetch();
  void dropPrefetched();

  const Dataset &data_;
  int64_t batchSize_;
  bool shuffle_;
  torch::Device device_;
  std::mt19937_64 rng_;
  std::vector<int64_t> order_;
  int64_t position_ = 0;
  Transform transform_;
  /// The batch at position_, being prepared; invalid when none is.
  std::future<Batch> pending_;
};
} // namespace he::runtime

#endif
