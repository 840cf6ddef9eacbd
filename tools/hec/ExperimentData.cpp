#include "tools/hec/ExperimentData.h"

#include "runtime/Error.h"

#include "llvm/Support/FormatVariadic.h"

using namespace he;
using frontend::DataKind;
using runtime::Dataset;

namespace {
void checkImageSize(const Dataset &data, const frontend::Experiment &exp) {
  const auto &want = exp.data.imageSize;
  auto got = data.images.sizes();
  if (got[1] != want[0] || got[2] != want[1] || got[3] != want[2])
    throw runtime::Error(llvm::formatv(
        "{0}: data.image_size is [{1}, {2}, {3}] but the images of {4} are "
        "[{5}, {6}, {7}]; resizing is not supported for this data set",
        exp.file, want[0], want[1], want[2], exp.data.path, got[1], got[2],
        got[3]));
}

// The last `n` training images, in the file's order, become the evaluation
// split: every run and every method holds out the same images.
void holdOut(hec::Splits &splits, int64_t n, const frontend::Experiment &exp) {
  int64_t size = splits.train.size();
  if (n >= size)
    throw runtime::Error(llvm::formatv(
        "{0}: data.validation holds out {1} images but the training split "
        "of {2} has only {3}; nothing would be left to train on",
        exp.file, n, exp.data.path.empty() ? "the data set" : exp.data.path,
        size));
  splits.test = runtime::slice(splits.train, size - n, size);
  splits.train = runtime::slice(splits.train, 0, size - n);
  splits.evaluated = "validation";
  if (exp.data.trainSubset > size - n)
    throw runtime::Error(llvm::formatv(
        "{0}: data.train_subset asks for {1} images but {2} remain once "
        "data.validation holds out {3}",
        exp.file, exp.data.trainSubset, size - n, n));
}
} // namespace

hec::Splits hec::loadExperimentData(const frontend::Experiment &exp) {
  const frontend::DataConfig &cfg = exp.data;
  // With a validation split the test split is not even read.
  bool readTest = cfg.validation <= 0;
  Splits splits;
  switch (cfg.kind) {
  case DataKind::FashionMnist:
    splits.train = runtime::loadFashionMnist(cfg.path, /*train=*/true);
    if (readTest)
      splits.test = runtime::loadFashionMnist(cfg.path, /*train=*/false);
    break;
  case DataKind::Synthetic: {
    const auto &s = cfg.synthetic;
    const auto &shape = cfg.imageSize;
    // One fixed task per experiment (seed 0); the run seeds vary the
    // network and the batch order, as for a real data set.
    splits.train = runtime::syntheticDataset(s.trainSize, shape[0], shape[1],
                                             shape[2], s.classes, 0, 0);
    if (readTest)
      splits.test = runtime::syntheticDataset(s.testSize, shape[0], shape[1],
                                              shape[2], s.classes, 0, 1);
    break;
  }
  case DataKind::ImageFolder:
  case DataKind::Covidx:
  case DataKind::Cifar10:
    throw runtime::Error(llvm::formatv(
        "{0}: data kind '{1}' is not readable by the runtime yet (supported: "
        "fashion-mnist, synthetic)",
        exp.file, frontend::toString(cfg.kind)));
  }
  checkImageSize(splits.train, exp);
  if (readTest)
    splits.test = runtime::subset(splits.test, cfg.testSubset);
  else
    holdOut(splits, cfg.validation, exp);
  splits.train = runtime::subset(splits.train, cfg.trainSubset);
  if (!cfg.mean.empty()) {
    runtime::normalise(splits.train, cfg.mean, cfg.std);
    runtime::normalise(splits.test, cfg.mean, cfg.std);
  }
  return splits;
}
