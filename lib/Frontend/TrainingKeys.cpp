// The [model] and [training] sections of an experiment: read, defaulted and
// checked (with ExperimentReader.h), as DataKeys.cpp does [data].
#include "lib/Frontend/DataSets.h"
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentLimits.h"
#include "lib/Frontend/ExperimentReader.h"
#include "lib/Frontend/Zoo.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>

#include <cmath>

using namespace he::frontend;
using llvm::StringRef;

namespace {
// The class sub-folders of an image folder's train/ (0 when there is none).
int64_t classFolders(const std::string &path) {
  llvm::SmallString<256> train(path);
  llvm::sys::path::append(train, "train");
  std::error_code ec;
  int64_t count = 0;
  for (llvm::sys::fs::directory_iterator it(train, ec), end; !ec && it != end;
       it.increment(ec))
    if (llvm::sys::fs::is_directory(it->path()) &&
        !llvm::sys::path::filename(it->path()).starts_with("."))
      ++count;
  return count;
}
} // namespace

void he::frontend::readModel(Reader &r, Experiment &e) {
  ModelConfig &m = e.model;
  if (r.read("model.name", m.name) && !m.isFile() && !lookupZooModel(m.name)) {
    llvm::SmallVector<StringRef> names;
    for (const ZooModel &model : zooModels())
      names.push_back(model.name);
    r.error("model.name",
            Reader::unknownValue(m.name, names) +
                (closestMatch(m.name, names)
                     ? ""
                     : " or a network file ending in .mlir or .mlirbc"));
  }

  std::optional<int64_t> fixed = datasetClasses(e.data.kind);
  int64_t expected =
      fixed
          ? *fixed
          : (e.data.kind == DataKind::Synthetic ? e.data.synthetic.classes : 0);
  if (r.read("model.classes", m.classes)) {
    if (e.data.kind == DataKind::Covidx)
      r.check(m.classes == 2 || m.classes == 3, "model.classes",
              "3 (normal, pneumonia, COVID-19) or 2 (negative, positive: "
              "the later COVIDx CXR releases)",
              m.classes);
    if (r.check(m.classes >= 2, "model.classes", "at least 2 classes",
                m.classes) &&
        expected)
      r.check(m.classes == expected, "model.classes",
              fmt::format("{} (the classes of data.kind = \"{}\")", expected,
                          toString(e.data.kind).str()),
              m.classes);
  } else if (expected) {
    m.classes = expected;
  } else if (e.data.kind == DataKind::Covidx) {
    m.classes = 3;
  } else if (int64_t folders = classFolders(e.data.path)) {
    m.classes = folders; // checked against the data when it is read
  } else {
    r.errorAt(e.locationOf("data.kind"), "model.classes",
              "data.kind = \"image-folder\" needs "
              "model.classes, the number of class folders (or data.path's "
              "train/ with its class folders)");
  }
}

void he::frontend::readTraining(Reader &r, Experiment &e) {
  TrainingConfig &t = e.training;
  if (r.read("training.optimizer", t.optimizer))
    r.check(t.optimizer == "adam", "training.optimizer",
            "\"adam\" (the paper's optimiser; the only one supported)",
            fmt::format("\"{}\"", t.optimizer));
  if (r.read("training.lr", t.lr))
    r.check(t.lr > 0 && t.lr <= kMaxLearningRate, "training.lr",
            fmt::format("a learning rate in (0, {:g}]", kMaxLearningRate),
            t.lr);
  r.readEnum<LrSchedule>("training.lr_schedule", t.lrSchedule, parseLrSchedule,
                         lrScheduleNames());
  r.readEnum<WeightInit>("training.init", t.init, parseWeightInit,
                         weightInitNames());
  if (auto betas = r.readList<double>("training.betas")) {
    if (r.check(betas->size() == 2, "training.betas",
                "2 numbers [beta1, beta2]",
                fmt::format("{} values", betas->size())))
      for (size_t i = 0; i < 2; ++i) {
        t.betas[i] = (*betas)[i].value;
        if (!(t.betas[i] >= 0 && t.betas[i] < 1))
          r.errorAt(
              (*betas)[i].loc, "training.betas",
              fmt::format("expected a beta in [0, 1), found {}", t.betas[i]));
      }
  }
  if (r.read("training.eps", t.eps))
    r.check(t.eps >= kMinAdamEps && t.eps <= 1, "training.eps",
            fmt::format("a number in [{:g}, 1]", kMinAdamEps), t.eps);
  if (r.read("training.weight_decay", t.weightDecay))
    r.check(t.weightDecay >= 0 && t.weightDecay <= kMaxWeightDecay,
            "training.weight_decay",
            fmt::format("a number in [0, {:g}]", kMaxWeightDecay),
            t.weightDecay);
  if (r.read("training.grad_clip", t.gradClip))
    r.check(t.gradClip >= 0 && t.gradClip <= FLT_MAX, "training.grad_clip",
            "a gradient norm in [0, 3.4e38] (f32; 0: no clipping)", t.gradClip);
  if (r.read("training.batch_size", t.batchSize))
    r.check(t.batchSize >= 1, "training.batch_size", "a batch size >= 1",
            t.batchSize);
  if (r.read("training.epochs", t.epochs))
    r.check(t.epochs >= 1 && t.epochs <= kMaxEpochs, "training.epochs",
            fmt::format("an epoch count in [1, {}]", kMaxEpochs), t.epochs);
  if (auto seeds = r.readList<int64_t>("training.seeds")) {
    r.check(!seeds->empty(), "training.seeds", "at least one seed",
            "an empty list");
    t.seeds.clear();
    // Bounded before the per-seed checks (a million seeds took minutes).
    if (r.check(seeds->size() <= size_t(kMaxSeeds), "training.seeds",
                fmt::format("at most {} seeds (a run each)", kMaxSeeds),
                fmt::format("{} seeds", seeds->size()))) {
      std::set<int64_t> seen;
      for (const Item<int64_t> &seed : *seeds) {
        if (seed.value < 0)
          r.errorAt(seed.loc, "training.seeds",
                    fmt::format("expected a seed >= 0, found {}", seed.value));
        else if (!seen.insert(seed.value).second)
          r.errorAt(seed.loc, "training.seeds",
                    fmt::format("seed {} is listed twice", seed.value));
        t.seeds.push_back(seed.value);
      }
    }
  }
  if (r.read("training.threads", t.threads))
    r.check(t.threads >= 0, "training.threads",
            "a thread count >= 0 (0: all cores)", t.threads);
  r.readEnum<Device>("training.device", t.device, parseDevice, deviceNames());
  if (r.read("training.activation_bound", t.activationBound))
    r.check(t.activationBound >= 0 && std::isfinite(t.activationBound),
            "training.activation_bound", "a bound >= 0 (0: off)",
            t.activationBound);
  r.read("training.keep_going_on_nan", t.keepGoingOnNan);
  r.read("training.reestimate_bn", t.reestimateBatchNorm);
}
