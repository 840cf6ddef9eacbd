#include "runtime/Data.h"
#include "runtime/Idx.h"
#include "runtime/Stop.h"
#include "runtime/data/Worker.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

namespace he::runtime {
Dataset loadIdxDataset(const std::string &imagesPath,
                       const std::string &labelsPath, int64_t numClasses) {
  torch::Tensor images = readIdxImages(imagesPath);
  torch::Tensor labels = readIdxLabels(labelsPath);
  if (labels.size(0) != images.size(0))
    throw Error(fmt::format("{}: {} labels for the {} images of {}", labelsPath,
                            labels.size(0), images.size(0), imagesPath));
  if (labels.numel() > 0) {
    int64_t lo = labels.min().item<int64_t>(),
            hi = labels.max().item<int64_t>();
    if (lo < 0 || hi >= numClasses) {
      int64_t bad = hi >= numClasses ? hi : lo;
      int64_t index = (labels == bad).nonzero()[0][0].item<int64_t>();
      throw Error(fmt::format("{}: label {} at index {} is outside [0, {})",
                              labelsPath, bad, index, numClasses));
    }
  }
  Dataset data;
  data.images = images.unsqueeze(1).contiguous();
  data.labels = labels;
  data.numClasses = numClasses;
  return data;
}

Dataset loadFashionMnist(const std::string &dir, bool train) {
  auto find = [&](const std::string &stem) {
    std::string plain = dir + "/" + stem;
    if (std::ifstream(plain).good())
      return plain;
    std::string gz = plain + ".gz";
    if (std::ifstream(gz).good())
      return gz;
    throw Error(fmt::format("{}: no such file (nor {})", plain, gz));
  };
  std::string prefix = train ? "train" : "t10k";
  std::string images = find(prefix + "-images-idx3-ubyte");
  std::string labels = find(prefix + "-labels-idx1-ubyte");
  return loadIdxDataset(images, labels, 10);
}

Dataset slice(const Dataset &data, int64_t from, int64_t to) {
  Dataset out = data;
  out.images = data.images.slice(0, from, to);
  out.labels = data.labels.slice(0, from, to);
  return out;
}

Dataset subset(const Dataset &data, int64_t n) {
  if (n <= 0 || n >= data.size())
    return data;
  return slice(data, 0, n);
}

std::pair<torch::Tensor, torch::Tensor>
Dataset::gather(const torch::Tensor &index, torch::Device device) const {
  torch::Tensor x = images.index_select(0, index);
  if (x.scalar_type() == torch::kUInt8) {
    // The same operations, in the same order, as converting the whole set
    // first: a batch holds the very numbers it held before.
    x = x.to(torch::kFloat).div_(255.0);
    if (channels == 3 && x.size(1) == 1)
      x = x.expand({-1, 3, -1, -1}).contiguous();
  }
  if (!mean.empty())
    x = (x - perChannel(mean, x, "normalise", "mean")) /
        perChannel(std, x, "normalise", "std");
  return {x.to(device), labels.index_select(0, index).to(device)};
}

torch::Tensor Dataset::floatImages() const {
  return gather(torch::arange(size(), torch::kLong)).first;
}

std::pair<std::vector<double>, std::vector<double>>
channelMeanStd(const Dataset &data) {
  torch::Tensor x =
      data.floatImages().to(torch::kDouble).transpose(0, 1).flatten(1);
  torch::Tensor mean = x.mean(1), std = x.std(1, /*unbiased=*/false);
  return {std::vector<double>(mean.data_ptr<double>(),
                              mean.data_ptr<double>() + mean.numel()),
          std::vector<double>(std.data_ptr<double>(),
                              std.data_ptr<double>() + std.numel())};
}

torch::Tensor perChannel(std::vector<double> v, const torch::Tensor &like,
                         const char *who, const char *what) {
  int64_t channels = like.size(1);
  if (v.size() == 1)
    v.assign(channels, v[0]);
  if (int64_t(v.size()) != channels)
    throw Error(fmt::format("{}: {} values of {} for {} channels", who,
                            v.size(), what, channels));
  return torch::tensor(v, torch::kDouble)
      .to(like.options())
      .view({1, channels, 1, 1});
}

void normalise(Dataset &data, const std::vector<double> &mean,
               const std::vector<double> &std) {
  for (double s : std)
    if (!(s > 0))
      throw Error(fmt::format("normalise: std must be > 0, got {}", s));
  int64_t channels = data.batchChannels();
  torch::Tensor like = torch::empty({1, channels, 1, 1});
  perChannel(mean, like, "normalise", "mean");
  perChannel(std, like, "normalise", "std");
  data.mean = mean;
  data.std = std;
}

namespace {
/// Images per chunk of synthetic data, between two stop polls: a multiple
/// of 16 of about 2^20 values (a few milliseconds of drawing).
int64_t chunkImages(int64_t perImage) {
  int64_t images = std::max<int64_t>(1, (int64_t(1) << 20) / perImage);
  return (images + 15) / 16 * 16;
}

/// Fills `out` (contiguous, f32, rows of images) with N(0, 1) draws from
/// `gen` as out.normal_(0, 1, gen) does in one call, then `each(begin,
/// end)` over every chunk of rows, polling for a stop before each chunk.
/// The numbers are the same: LibTorch draws a normal tensor's uniforms in
/// order and transforms them in blocks of 16 values (redrawing the last 16
/// when the size is not a multiple of 16), so chunks of a multiple of 16
/// values, the last one at least as long, draw what one call draws
/// (DataTest's SyntheticDataIsDrawnAsInOneCall).
template <typename Each>
void normalInChunks(torch::Tensor &out, at::Generator &gen, Each each) {
  int64_t rows = out.size(0);
  if (rows == 0)
    return;
  int64_t chunk = chunkImages(out[0].numel());
  for (int64_t begin = 0; begin < rows;) {
    checkStop("generating synthetic images");
    int64_t end = rows - begin < 2 * chunk ? rows : begin + chunk;
    out.slice(0, begin, end).normal_(0, 1, gen);
    each(begin, end);
    begin = end;
  }
}
} // namespace

Dataset syntheticDataset(int64_t n, int64_t channels, int64_t height,
                         int64_t width, int64_t numClasses, uint64_t seed,
                         uint64_t split, double noise) {
  if (n < 0 || numClasses < 1 || channels < 1 || height < 1 || width < 1)
    throw Error("syntheticDataset: sizes must be positive");
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  torch::Tensor patterns = torch::empty({numClasses, channels, height, width});
  normalInChunks(patterns, gen, [](int64_t, int64_t) {});
  auto sampleGen =
      at::make_generator<at::CPUGeneratorImpl>(seed * 1000003 + split + 1);
  torch::Tensor labels = at::randint(0, numClasses, {n}, sampleGen);
  // Each chunk becomes its images in place: noise * std + the patterns
  // (the sum in this order is the one-call pattern + noise * std).
  torch::Tensor images = torch::empty({n, channels, height, width});
  normalInChunks(images, sampleGen, [&](int64_t begin, int64_t end) {
    images.slice(0, begin, end)
        .mul_(noise)
        .add_(patterns.index_select(0, labels.slice(0, begin, end)));
  });
  Dataset data;
  data.images = images;
  data.labels = labels.to(torch::kLong);
  data.numClasses = numClasses;
  return data;
}

BatchIterator::BatchIterator(const Dataset &data, int64_t batchSize,
                             bool shuffle, uint64_t seed, torch::Device device)
    : data_(data), batchSize_(batchSize), shuffle_(shuffle), device_(device),
      rng_(seed) {
  if (batchSize < 1)
    throw Error(fmt::format("batch size must be >= 1, got {}", batchSize));
  order_.resize(data.size());
  reset();
}

BatchIterator::~BatchIterator() { dropPrefetched(); }

void BatchIterator::dropPrefetched() {
  if (pending_.valid())
    pending_.wait();
  pending_ = {};
}

void BatchIterator::setTransform(Transform transform) {
  dropPrefetched();
  transform_ = std::move(transform);
}

void BatchIterator::reset() {
  dropPrefetched();
  std::iota(order_.begin(), order_.end(), 0);
  // Fisher-Yates with our own draws: std::shuffle's use of the engine is
  // implementation-defined, and the order must not depend on the library.
  if (shuffle_)
    for (int64_t i = int64_t(order_.size()) - 1; i > 0; --i)
      std::swap(order_[i], order_[rng_() % uint64_t(i + 1)]);
  position_ = 0;
}

BatchIterator::Batch BatchIterator::prepare(int64_t position) const {
  torch::NoGradGuard noGrad;
  int64_t end = std::min<int64_t>(position + batchSize_, order_.size());
  torch::Tensor index = torch::tensor(
      std::vector<int64_t>(order_.begin() + position, order_.begin() + end),
      torch::kLong);
  Batch batch = data_.gather(index, device_);
  if (transform_)
    batch.first = transform_(batch.first, position / batchSize_ + 1);
  return batch;
}

void BatchIterator::prefetch() {
  if (position_ >= int64_t(order_.size()))
    return;
  pending_ = backgroundWorker().run(
      [this, position = position_] { return prepare(position); });
}

bool BatchIterator::next(torch::Tensor &images, torch::Tensor &labels) {
  if (position_ >= int64_t(order_.size()))
    return false;
  Batch batch = pending_.valid() ? pending_.get() : prepare(position_);
  pending_ = {};
  position_ = std::min<int64_t>(position_ + batchSize_, order_.size());
  images = std::move(batch.first);
  labels = std::move(batch.second);
  prefetch();
  return true;
}

void BatchIterator::rewind(int64_t position) {
  if (position < 0 || position > position_)
    throw Error(fmt::format("cannot rewind the batches from {} to {}",
                            position_, position));
  dropPrefetched();
  position_ = position;
}

BatchIterator::State BatchIterator::state() const {
  std::ostringstream rng;
  rng << rng_;
  return State{rng.str(), order_, position_};
}

void BatchIterator::restore(const State &state) {
  std::vector<int64_t> sorted = state.order;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != int64_t(i))
      sorted.clear();
  if (int64_t(sorted.size()) != data_.size() ||
      int64_t(order_.size()) != data_.size())
    throw Error(fmt::format("batch order of {} samples does not fit a data "
                            "set of {}",
                            state.order.size(), data_.size()));
  if (state.position < 0 || state.position > int64_t(order_.size()))
    throw Error(fmt::format("batch position {} outside [0, {}]", state.position,
                            order_.size()));
  std::istringstream in(state.rng);
  std::mt19937_64 rng;
  in >> rng;
  if (in.fail())
    throw Error("the batch shuffle's random state does not parse");
  dropPrefetched();
  rng_ = rng;
  order_ = state.order;
  position_ = state.position;
}

int64_t BatchIterator::batchesPerEpoch() const {
  return (data_.size() + batchSize_ - 1) / batchSize_;
}
} // namespace he::runtime
