#include "tools/hec/ExperimentData.h"

#include "lib/Frontend/DataSets.h"
#include "runtime/Error.h"
#include "runtime/data/Source.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace he;
using frontend::DataKind;
using runtime::Dataset;
using runtime::Split;

namespace {
// The parser has refused a data.image_size other than the stored size of a
// kind that is not resized (frontend::fixedImageSize): a mismatch here is
// in the files themselves (IDX images of another size).
void checkImageSize(const Dataset &data, const frontend::Experiment &exp) {
  const auto &want = exp.data.imageSize;
  auto got = data.images.sizes();
  int64_t channels = data.batchChannels();
  if (channels != want[0] || got[2] != want[1] || got[3] != want[2])
    throw runtime::Error(llvm::formatv(
        "{0}: data.image_size is [{1}, {2}, {3}] but the images of {4} are "
        "[{5}, {6}, {7}]; {8}",
        exp.file, want[0], want[1], want[2], exp.data.path, channels, got[2],
        got[3],
        frontend::resizesImages(exp.data.kind)
            ? "they were not resized to it"
            : "data.kind = \"" + frontend::toString(exp.data.kind).str() +
                  "\" is read as stored, not resized"));
}

void checkClasses(const Dataset &data, const frontend::Experiment &exp) {
  if (data.numClasses == exp.model.classes)
    return;
  std::string names;
  for (const std::string &name : data.classNames)
    names += (names.empty() ? "" : ", ") + name;
  throw runtime::Error(
      llvm::formatv("{0}: model.classes is {1} but {2} has {3} classes{4}",
                    exp.file, exp.model.classes, exp.data.path, data.numClasses,
                    names.empty() ? "" : " (" + names + ")"));
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
  splits.evaluated = hec::evaluatedSplit(exp);
  if (exp.data.trainSubset > size - n)
    throw runtime::Error(llvm::formatv(
        "{0}: data.train_subset asks for {1} images but {2} remain once "
        "data.validation holds out {3}",
        exp.file, exp.data.trainSubset, size - n, n));
}

} // namespace

std::unique_ptr<runtime::DataSource>
hec::dataSource(const frontend::Experiment &exp) {
  const frontend::DataConfig &cfg = exp.data;
  switch (cfg.kind) {
  case DataKind::FashionMnist:
    return runtime::fashionMnistSource(cfg.path);
  case DataKind::Synthetic:
    return runtime::syntheticSource(
        cfg.synthetic.classes, cfg.synthetic.trainSize, cfg.synthetic.testSize);
  case DataKind::ImageFolder:
    return runtime::imageFolderSource(cfg.path);
  case DataKind::Covidx:
    return runtime::covidxSource(cfg.path,
                                 {cfg.trainList, cfg.valList, cfg.testList});
  case DataKind::Cifar10:
    return runtime::cifar10Source(cfg.path);
  }
  throw runtime::Error("unknown data kind");
}

namespace {
// A line on stderr, redrawn in place on a terminal, else every quarter.
std::function<void(Split, int64_t, int64_t)> progressLine() {
  bool tty = llvm::sys::Process::StandardErrIsDisplayed();
  auto start = std::make_shared<std::chrono::steady_clock::time_point>(
      std::chrono::steady_clock::now());
  auto lastQuarter = std::make_shared<int64_t>(-1);
  auto lastSplit = std::make_shared<int>(-1);
  return [=](Split split, int64_t done, int64_t total) {
    if (int(split) != *lastSplit) { // a new split's decoding starts
      *lastSplit = int(split);
      *lastQuarter = -1;
      *start = std::chrono::steady_clock::now();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - *start)
            .count();
    int64_t quarter = total ? done * 4 / total : 4;
    if (!tty && quarter == *lastQuarter)
      return;
    *lastQuarter = quarter;
    llvm::errs() << llvm::formatv(
        "{0}decoding the {1} images: {2}/{3} ({4}%), {5:f0} images/s{6}",
        tty ? "\r" : "", runtime::toString(split), done, total,
        total ? done * 100 / total : 100,
        seconds > 0 ? double(done) / seconds : 0.0,
        tty && done < total ? "" : "\n");
  };
}

runtime::LoadedSplit load(const runtime::DataSource &source, Split split,
                          const runtime::LoadOptions &options,
                          std::vector<std::string> &skipped) {
  runtime::LoadedSplit loaded = source.load(split, options);
  for (const std::string &s : loaded.skipped)
    skipped.push_back(s);
  if (!loaded.skipped.empty())
    llvm::errs() << llvm::formatv("{0} unreadable {1} images left out "
                                  "(data.skip_bad_images)\n",
                                  loaded.skipped.size(),
                                  runtime::toString(split));
  return loaded;
}
} // namespace

hec::Splits hec::loadExperimentData(const frontend::Experiment &exp,
                                    bool progress) {
  const frontend::DataConfig &cfg = exp.data;
  std::unique_ptr<runtime::DataSource> source = dataSource(exp);
  runtime::LoadOptions options;
  options.imageSize = cfg.imageSize;
  options.cacheDir = cfg.cache;
  options.skipBadImages = cfg.skipBadImages;
  options.threads = int(exp.training.threads);
  if (progress)
    options.progress = progressLine();
  Splits splits;
  splits.train = load(*source, Split::Train, options, splits.skipped).data;
  checkImageSize(splits.train, exp);
  checkClasses(splits.train, exp);
  // With a validation split the test split is not even read.
  if (cfg.validation > 0) {
    holdOut(splits, cfg.validation, exp);
  } else {
    Split eval = cfg.evalSplit == "val" ? Split::Val : Split::Test;
    if (eval == Split::Val && !source->hasSplit(Split::Val))
      throw runtime::Error(llvm::formatv(
          "{0}: data.eval_split = \"val\" but {1} has no val split", exp.file,
          cfg.path));
    splits.test = load(*source, eval, options, splits.skipped).data;
    splits.test = runtime::subset(splits.test, cfg.testSubset);
    splits.evaluated = evaluatedSplit(exp);
  }
  splits.train = runtime::subset(splits.train, cfg.trainSubset);
  if (!cfg.mean.empty()) {
    runtime::normalise(splits.train, cfg.mean, cfg.std);
    runtime::normalise(splits.test, cfg.mean, cfg.std);
  }
  return splits;
}

std::string hec::evaluatedSplit(const frontend::Experiment &exp) {
  if (exp.data.validation > 0)
    return "validation";
  return runtime::toString(exp.data.evalSplit == "val" ? Split::Val
                                                       : Split::Test);
}
