// One interface for every data set the runtime reads: a source knows where
// its splits are and turns one into a Dataset. Each kind lives in a file of
// its own (ImageFolder.cpp, Covidx.cpp, Cifar10.cpp, FashionMnist.cpp,
// Synthetic.cpp); the decoding of image files and the decode-once cache that
// the file-based kinds share are ImageDecode.h and ImageCache.h.
#ifndef HE_RUNTIME_DATA_SOURCE_H
#define HE_RUNTIME_DATA_SOURCE_H

#include "runtime/Data.h"

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace he::runtime {
enum class Split { Train, Val, Test };
const char *toString(Split split);

/// How a source prepares its images.
struct LoadOptions {
  /// [C, H, W] every image is resized to (C: 1 grey, 3 RGB).
  std::array<int64_t, 3> imageSize = {1, 28, 28};
  /// Where decoded images are cached ("": next to the data, in
  /// <path>/.hec-cache, or in ~/.cache/hec when that folder is read-only).
  std::string cacheDir;
  /// Leave out images that cannot be read instead of failing.
  bool skipBadImages = false;
  /// Decoding threads (0: every core).
  int threads = 0;
  /// Called now and then while images are decoded: (split, done, total).
  std::function<void(Split, int64_t, int64_t)> progress;
};

/// A split as loaded, with the images that were left out.
struct LoadedSplit {
  Dataset data;
  /// "<file>: <why>" for each image skipped (LoadOptions::skipBadImages).
  std::vector<std::string> skipped;
  /// The decode cache the images came from ("" when not cached).
  std::string cacheFile;
  bool cacheReused = false;
};

class DataSource {
public:
  virtual ~DataSource() = default;
  /// Whether the data set has this split (a val split is optional).
  virtual bool hasSplit(Split split) const = 0;
  /// Reads a split; throws Error naming the file (and line) on bad input.
  virtual LoadedSplit load(Split split, const LoadOptions &options) const = 0;
};

/// <path>/{train,val,test}/<class>/<image>: classes are the sub-folder
/// names in sorted order (torchvision's ImageFolder).
std::unique_ptr<DataSource> imageFolderSource(const std::string &path);

/// COVIDx as COVID-Net distributes it, CXR or CT-2A (told apart by the
/// label files' fields). Label files are relative to `path`; "" takes the
/// release's own names.
struct CovidxLists {
  std::string train, val, test;
};
std::unique_ptr<DataSource> covidxSource(const std::string &path,
                                         const CovidxLists &lists);

/// CIFAR-10's binary version: data_batch_{1..5}.bin, test_batch.bin.
std::unique_ptr<DataSource> cifar10Source(const std::string &path);

/// Fashion-MNIST (or MNIST) IDX files.
std::unique_ptr<DataSource> fashionMnistSource(const std::string &path);

/// syntheticDataset() as a source: one fixed task (seed 0).
std::unique_ptr<DataSource> syntheticSource(int64_t classes, int64_t trainSize,
                                            int64_t testSize);
} // namespace he::runtime

#endif
