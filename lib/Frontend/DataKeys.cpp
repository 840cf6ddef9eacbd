// The [data] section of an experiment: where the images come from, their
// size and normalisation, augmentation, and the keys of the file-based data
// sets (label files, bad images, the decode cache).
#include "lib/Frontend/DataSets.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentLimits.h"
#include "lib/Frontend/ExperimentReader.h"
#include "lib/Frontend/Zoo.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

using namespace he::frontend;
using llvm::StringRef;

namespace {
/// Per-channel statistics of the data sets, used when [data.normalize]
/// is not written.
std::pair<std::vector<double>, std::vector<double>>
defaultNormalization(DataKind kind) {
  switch (kind) {
  case DataKind::FashionMnist:
    return {{0.2860}, {0.3530}};
  case DataKind::Cifar10:
    return {{0.4914, 0.4822, 0.4465}, {0.2470, 0.2435, 0.2616}};
  case DataKind::Covidx:
  case DataKind::ImageFolder:
    return {{0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}};
  case DataKind::Synthetic:
    return {{0.0}, {1.0}};
  }
  return {{0.0}, {1.0}};
}

/// `values` for `channels` channels: one value is repeated, three RGB values
/// average into one grey channel.
std::vector<double> fitChannels(std::vector<double> values, int64_t channels) {
  if (values.size() == 1)
    return std::vector<double>(channels, values[0]);
  if (values.size() == 3 && channels == 1)
    return {(values[0] + values[1] + values[2]) / 3};
  return values;
}

// A data set the runtime does not resize (DataSets.h) is read at its own
// size only: hec once refused it only after loading the data.
void checkFixedImageSize(Reader &r, const Experiment &e, bool written) {
  const DataConfig &d = e.data;
  std::optional<ImageSize> fixed = fixedImageSize(d.kind);
  bool valid = (d.imageSize[0] == 1 || d.imageSize[0] == 3) &&
               d.imageSize[1] >= 1 && d.imageSize[2] >= 1;
  if (!fixed || !valid || d.imageSize == *fixed)
    return;
  std::string kind = toString(d.kind).str();
  if (written)
    r.error("data.image_size",
            fmt::format("expected {}, the size data.kind = \"{}\" images are "
                        "stored at (the runtime does not resize them), "
                        "found {}",
                        *fixed, kind, d.imageSize));
  else
    r.error("model.name",
            fmt::format("\"{}\" takes {} images (data.image_size's default), "
                        "but data.kind = \"{}\" images are {} and the "
                        "runtime does not resize them: choose a network for "
                        "{} images",
                        e.model.name, d.imageSize, kind, *fixed, *fixed));
}

void readImageKeys(Reader &r, DataConfig &d) {
  for (auto [key, out] : {std::pair{"data.train_list", &d.trainList},
                          std::pair{"data.val_list", &d.valList},
                          std::pair{"data.test_list", &d.testList}})
    // "" takes the release's own file name.
    if (r.read(key, *out) && !out->empty()) {
      if (d.kind != DataKind::Covidx)
        r.error(key, fmt::format("label files are read for data.kind = "
                                 "\"covidx\" only, not \"{}\"",
                                 toString(d.kind).str()));
    }
  r.read("data.skip_bad_images", d.skipBadImages);
  r.read("data.cache", d.cache); // "": next to the data
  if (r.read("data.eval_split", d.evalSplit) &&
      r.check(d.evalSplit == "test" || d.evalSplit == "val", "data.eval_split",
              "\"test\" or \"val\"", fmt::format("\"{}\"", d.evalSplit)) &&
      d.evalSplit == "val") {
    if (d.kind != DataKind::ImageFolder && d.kind != DataKind::Covidx)
      r.error("data.eval_split",
              fmt::format("data.kind = \"{}\" has no val split; hold "
                          "images out with data.validation instead",
                          toString(d.kind).str()));
    if (d.validation > 0)
      r.error("data.eval_split", "\"val\" and data.validation both choose "
                                 "what runs are evaluated on; keep one");
  }
}
} // namespace

void he::frontend::readData(Reader &r, Experiment &e) {
  DataConfig &d = e.data;
  llvm::SmallVector<StringRef> kinds;
  for (DataKind kind :
       {DataKind::FashionMnist, DataKind::ImageFolder, DataKind::Covidx,
        DataKind::Cifar10, DataKind::Synthetic})
    kinds.push_back(toString(kind));
  r.readEnum<DataKind>("data.kind", d.kind, parseDataKind, kinds);

  if (r.read("data.path", d.path)) {
    r.check(!d.path.empty(), "data.path", "a folder", "an empty string");
  } else if (d.kind == DataKind::FashionMnist) {
    d.path = "/usr/share/datasets/fashion-mnist";
  } else if (d.kind == DataKind::Cifar10) {
    d.path = "data/cifar10";
  } else if (d.kind == DataKind::Covidx) {
    d.path = "data/covidx";
  } else if (d.kind == DataKind::ImageFolder) {
    r.error("data.path", "data.kind = \"image-folder\" needs data.path: a "
                         "folder with train/ and test/, one sub-folder per "
                         "class");
  }

  for (auto [key, value] : {std::pair{"data.train_subset", &d.trainSubset},
                            std::pair{"data.test_subset", &d.testSubset}})
    if (r.read(key, *value))
      r.check(*value >= 0, key, "a count >= 0 (0: all images)", *value);
  if (r.read("data.validation", d.validation))
    r.check(d.validation >= 0, "data.validation",
            "a count >= 0 (0: evaluate on the test split)", d.validation);
  if (d.validation > 0 && d.testSubset > 0)
    r.error("data.test_subset",
            "has no effect with data.validation (the test split is not "
            "read); remove one of the two");

  // The image size defaults to what the zoo network was designed for, so
  // that `model.name = "alexnet"` alone gives 3x224x224 images.
  const ZooModel *zoo = lookupZooModel(e.model.name);
  d.imageSize = zoo ? zoo->inputShape : nativeImageSize(d.kind);
  auto size = r.readList<int64_t>("data.image_size");
  if (size) {
    if (r.check(size->size() == 3, "data.image_size",
                "3 integers [channels, height, width]",
                fmt::format("{} values", size->size()))) {
      for (size_t i = 0; i < 3; ++i) {
        const Item<int64_t> &item = (*size)[i];
        if (item.value < 1)
          r.errorAt(item.loc, "data.image_size",
                    fmt::format("expected a size >= 1, found {}", item.value));
        d.imageSize[i] = item.value;
      }
      r.check(d.imageSize[0] == 1 || d.imageSize[0] == 3 || d.imageSize[0] < 1,
              "data.image_size", "1 (grey) or 3 (RGB) channels",
              d.imageSize[0]);
    }
  }
  // A list of another length is refused above: the size is then the default,
  // which the user did not write, so it is not compared.
  if (!size || size->size() == 3)
    checkFixedImageSize(r, e, size.has_value());

  // A channel count other than 1 or 3 is refused above; the normalisation
  // is then fitted to one channel, never to the count written (2^32 once
  // ran out of memory here).
  int64_t channels =
      d.imageSize[0] == 1 || d.imageSize[0] == 3 ? d.imageSize[0] : 1;
  auto [mean, std] = defaultNormalization(d.kind);
  d.mean = fitChannels(mean, channels);
  d.std = fitChannels(std, channels);
  for (auto [key, out] : {std::pair{"data.normalize.mean", &d.mean},
                          std::pair{"data.normalize.std", &d.std}}) {
    auto items = r.readList<double>(key);
    if (!items)
      continue;
    std::vector<double> values;
    for (const Item<double> &item : *items) {
      values.push_back(item.value);
      if (out == &d.std && !(item.value >= kMinNormalizeStd))
        r.errorAt(item.loc, key,
                  fmt::format("expected a deviation >= {}, found {}",
                              kMinNormalizeStd, item.value));
      if (out == &d.mean && !(std::abs(item.value) <= kMaxNormalizeMean))
        r.errorAt(item.loc, key,
                  fmt::format("expected a mean in [-{0}, {0}], found {1}",
                              kMaxNormalizeMean, item.value));
    }
    if (r.check(values.size() == 1 || (int64_t)values.size() == channels, key,
                channels == 1
                    ? std::string("1 value")
                    : fmt::format("1 or {} values (one per channel)", channels),
                fmt::format("{} values", values.size())))
      *out = fitChannels(values, channels);
  }

  readImageKeys(r, d);

  DataConfig::Augment &a = d.augment;
  if (r.read("data.augment.rotation", a.rotation))
    r.check(a.rotation >= 0 && a.rotation <= 180, "data.augment.rotation",
            "degrees in [0, 180]", a.rotation);
  r.read("data.augment.hflip", a.hflip);
  r.read("data.augment.vflip", a.vflip);
  if (r.read("data.augment.color_jitter", a.colorJitter))
    r.check(a.colorJitter >= 0 && a.colorJitter < 1,
            "data.augment.color_jitter", "a strength in [0, 1)", a.colorJitter);

  DataConfig::Synthetic &s = d.synthetic;
  if (r.read("data.synthetic.classes", s.classes))
    r.check(s.classes >= 2, "data.synthetic.classes", "at least 2 classes",
            s.classes);
  for (auto [key, value] :
       {std::pair{"data.synthetic.train_size", &s.trainSize},
        std::pair{"data.synthetic.test_size", &s.testSize}})
    if (r.read(key, *value))
      r.check(*value >= 1, key, "at least 1 image", *value);
  // The real data sets' sizes are known only once read (ExperimentData).
  // As hec refuses once the data is read (ExperimentData.cpp's holdOut);
  // without data.validation a larger train_subset takes every image.
  if (d.kind == DataKind::Synthetic && d.validation > 0 &&
      r.check(d.validation < s.trainSize, "data.validation",
              fmt::format("fewer than the {} training images "
                          "(data.synthetic.train_size)",
                          s.trainSize),
              d.validation))
    r.check(d.trainSubset <= s.trainSize - d.validation, "data.train_subset",
            fmt::format("at most the {} images that remain once "
                        "data.validation holds out {} of "
                        "data.synthetic.train_size = {}",
                        s.trainSize - d.validation, d.validation, s.trainSize),
            d.trainSubset);
}

void he::frontend::checkDataPaths(Reader &r, Experiment &e) {
  if (e.data.kind != DataKind::Synthetic && !e.data.path.empty()) {
    if (!llvm::sys::fs::is_directory(e.data.path)) {
      r.error("data.path",
              fmt::format("no such folder: {}{}", e.data.path,
                          e.data.kind == DataKind::Covidx ||
                                  e.data.kind == DataKind::Cifar10
                              ? " (download the data set first, see "
                                "docs/experiments.md)"
                              : ""));
    } else if (e.data.kind == DataKind::FashionMnist) {
      // A run with a validation split never reads the test files.
      static constexpr StringRef idxFiles[] = {
          "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
      llvm::ArrayRef<StringRef> files(idxFiles);
      if (e.data.validation > 0)
        files = files.take_front(2);
      for (StringRef idx : files) {
        llvm::SmallString<256> path(e.data.path);
        llvm::sys::path::append(path, idx);
        if (!llvm::sys::fs::exists(path) &&
            !llvm::sys::fs::exists(path + ".gz"))
          r.error("data.path",
                  fmt::format("{} holds no {}[.gz]", e.data.path, idx.str()));
      }
    } else if (e.data.kind == DataKind::ImageFolder) {
      llvm::SmallString<256> train(e.data.path);
      llvm::sys::path::append(train, "train");
      if (!llvm::sys::fs::is_directory(train))
        r.error("data.path",
                fmt::format("{} holds no train/ folder (an image folder has "
                            "train/ and test/, one sub-folder per class)",
                            e.data.path));
    } else if (e.data.kind == DataKind::Covidx) {
      // The release is told apart by its image folder; the label files
      // default to its own names.
      llvm::SmallString<256> ct(e.data.path);
      llvm::sys::path::append(ct, kCovidxCtImages);
      bool isCt = llvm::sys::fs::is_directory(ct);
      const DataConfig &d = e.data;
      // Training reads the train list; evaluation the val or the test
      // list, or neither with data.validation.
      bool val = d.evalSplit == "val";
      struct List {
        const char *key;
        const std::string &given;
        CovidxListNames names;
        bool needed;
      } lists[] = {{"data.train_list", d.trainList, kCovidxTrainList, true},
                   {"data.val_list", d.valList, kCovidxValList, val},
                   {"data.test_list", d.testList, kCovidxTestList,
                    !val && d.validation == 0}};
      for (const List &l : lists) {
        if (!l.needed)
          continue;
        llvm::SmallString<256> list(e.data.path);
        llvm::sys::path::append(list, l.given.empty()
                                          ? (isCt ? l.names.ct : l.names.cxr)
                                          : l.given);
        if (!llvm::sys::fs::is_regular_file(list))
          r.error(l.given.empty() ? "data.path" : l.key,
                  fmt::format("no such label file: {} (COVIDx {})", list.str(),
                              isCt ? "CT-2A" : "CXR"));
      }
    } else if (e.data.kind == DataKind::Cifar10) {
      std::string first = cifar10TrainBatch(1);
      llvm::SmallString<256> batch(e.data.path);
      llvm::sys::path::append(batch, first);
      if (!llvm::sys::fs::exists(batch))
        r.error("data.path", fmt::format("{} holds no {} (CIFAR-10's binary "
                                         "version)",
                                         e.data.path, first));
    }
  }
}
