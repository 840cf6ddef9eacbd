// CIFAR-10's binary version: data_batch_1.bin ... data_batch_5.bin and
// test_batch.bin, each 10,000 records of one label byte and 3x32x32 pixel
// bytes (R, G, B planes). At 3x32x32 the images are held as read; at any
// other size they are resized once into the decode cache.
#include "lib/Frontend/DataSets.h"
#include "runtime/data/ImageCache.h"
#include "runtime/data/Source.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

namespace fs = std::filesystem;

namespace he::runtime {
namespace {
constexpr int64_t kRecords = 10000, kPixels = 3 * 32 * 32;

const std::vector<std::string> kClasses = {
    "airplane", "automobile", "bird",  "cat",  "deer",
    "dog",      "frog",       "horse", "ship", "truck"};

// uint8 [N, 3, 32, 32] and int64 [N] from the split's files.
std::pair<torch::Tensor, torch::Tensor>
readBatches(const std::vector<std::string> &files) {
  int64_t n = kRecords * int64_t(files.size());
  torch::Tensor images = torch::empty({n, 3, 32, 32}, torch::kUInt8);
  torch::Tensor labels = torch::empty({n}, torch::kLong);
  std::vector<char> record(kPixels + 1);
  for (size_t f = 0; f < files.size(); ++f) {
    const std::string &file = files[f];
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    if (ec)
      throw Error(fmt::format(
          "{}: no such file (CIFAR-10's binary version "
          "has {} ... {} and {})",
          file, frontend::cifar10TrainBatch(1),
          frontend::cifar10TrainBatch(frontend::kCifar10TrainBatches),
          frontend::kCifar10TestBatch));
    if (size != uint64_t(kRecords * (kPixels + 1)))
      throw Error(fmt::format("{}: {} bytes, expected {} (10,000 records of "
                              "1 label byte and 3,072 pixel bytes)",
                              file, size, kRecords * (kPixels + 1)));
    std::ifstream in(file, std::ios::binary);
    for (int64_t r = 0; r < kRecords; ++r) {
      if (!in.read(record.data(), kPixels + 1))
        throw Error(fmt::format("{}: read error at record {}", file, r));
      int64_t i = int64_t(f) * kRecords + r;
      uint8_t label = uint8_t(record[0]);
      if (label > 9)
        throw Error(fmt::format("{}: record {} has label {}, outside [0, 10)",
                                file, r, label));
      labels[i] = int64_t(label);
      std::memcpy(images[i].data_ptr<uint8_t>(), record.data() + 1, kPixels);
    }
  }
  return {images, labels};
}

std::string stamp(const std::vector<std::string> &files) {
  std::string key = "cifar10\n";
  for (const std::string &file : files) {
    struct stat st {};
    ::stat(file.c_str(), &st);
    key += fmt::format("{}\t{}\t{}.{}\n", file, int64_t(st.st_size),
                       int64_t(st.st_mtim.tv_sec), int64_t(st.st_mtim.tv_nsec));
  }
  return key;
}

class Cifar10Source : public DataSource {
public:
  explicit Cifar10Source(std::string path) : path_(std::move(path)) {}

  bool hasSplit(Split split) const override { return split != Split::Val; }

  LoadedSplit load(Split split, const LoadOptions &o) const override {
    if (split == Split::Val)
      throw Error("CIFAR-10 has no val split (use data.validation)");
    std::vector<std::string> files;
    if (split == Split::Train)
      for (int b = 1; b <= frontend::kCifar10TrainBatches; ++b)
        files.push_back(
            (fs::path(path_) / frontend::cifar10TrainBatch(b)).string());
    else
      files.push_back((fs::path(path_) / frontend::kCifar10TestBatch).string());
    auto [images, labels] = readBatches(files);
    LoadedSplit out;
    const auto &size = o.imageSize;
    if (size[0] == 3 && size[1] == 32 && size[2] == 32) {
      out.data.images = images;
      out.data.labels = labels;
    } else {
      CacheRecipe r;
      r.name = std::string("cifar10-") + toString(split);
      r.key = stamp(files);
      r.count = images.size(0);
      r.size = size;
      r.decode = [&images, size](int64_t i) {
        return resizeImage(convertChannels(images[i], size[0]), size[1],
                           size[2]);
      };
      r.label = [&labels](int64_t i) { return labels[i].item<int64_t>(); };
      r.describe = [&files](int64_t i) {
        return fmt::format("{}: record {}", files[size_t(i / kRecords)],
                           i % kRecords);
      };
      out = loadOrBuildCache(r, cacheDirFor(path_, o), o, split);
    }
    out.data.numClasses = 10;
    out.data.classNames = kClasses;
    out.data.channels = size[0];
    return out;
  }

private:
  std::string path_;
};
} // namespace

std::unique_ptr<DataSource> cifar10Source(const std::string &path) {
  return std::make_unique<Cifar10Source>(path);
}
} // namespace he::runtime
