// Bounds on what an experiment may ask for, checked before anything trains
// so that a value a later stage would refuse (or choke on) is refused here,
// with the bound named. docs/experiments.md and docs/reliability.md list
// them with their reasons.
#include "lib/Frontend/ExperimentReader.h"
#include "lib/Frontend/NetworkLoader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace he::frontend;

namespace {
/// training.threads: LibTorch's intra-op pool makes one OS thread per
/// unit, and with far more threads than cores every batch waits on
/// contention (100,000 never finished one). A fixed cap, not a multiple of
/// this machine's cores, so that a file valid here is valid everywhere; no
/// machine hec runs on has more cores.
constexpr int64_t kMaxThreads = 256;
/// data.image_size's height and width: 18x the zoo's largest input (224),
/// and small enough that C*H*W*batch_size fits int64 by far.
constexpr int64_t kMaxImageSide = 4096;
/// training.batch_size.
constexpr int64_t kMaxBatchSize = 65536;
/// model.classes and data.synthetic.classes: ImageNet-21k has 21,841.
constexpr int64_t kMaxClasses = 100000;
/// Values of one split of synthetic images (train_size * C * H * W), and of
/// its class patterns (classes * C * H * W): 2^30, 4 GiB of f32. 100,000
/// classes of 3x4096x4096 passed once and LibTorch failed to allocate 20 TB.
constexpr int64_t kMaxSyntheticValues = int64_t(1) << 30;
/// Values of one batch of images (batch_size * C * H * W), whatever the
/// data: 2^30, 4 GiB of f32, before the network's activations.
constexpr int64_t kMaxBatchValues = int64_t(1) << 30;
} // namespace

void he::frontend::checkLimits(Reader &r, const Experiment &e) {
  const TrainingConfig &t = e.training;
  r.check(t.threads <= kMaxThreads, "training.threads",
          fmt::format("at most {} threads (more only contend)", kMaxThreads),
          t.threads);
  bool batchOk =
      r.check(t.batchSize <= kMaxBatchSize, "training.batch_size",
              fmt::format("a batch size <= {}", kMaxBatchSize), t.batchSize);

  const DataConfig &d = e.data;
  for (int i : {1, 2})
    if (!r.check(d.imageSize[i] <= kMaxImageSide, "data.image_size",
                 fmt::format("a height and width <= {}", kMaxImageSide),
                 d.imageSize[i]))
      return;
  // Unwritten, the count is the data set's (checked below for synthetic).
  if (r.has("model.classes"))
    r.check(e.model.classes <= kMaxClasses, "model.classes",
            fmt::format("at most {} classes", kMaxClasses), e.model.classes);
  if (d.imageSize[0] != 1 && d.imageSize[0] != 3)
    return; // refused in DataKeys.cpp; no sizes derived from it
  int64_t perImage = 1;
  for (int64_t side : d.imageSize)
    if (side < 1 || llvm::MulOverflow(perImage, side, perImage))
      return; // refused in DataKeys.cpp
  // A batch is never larger than the synthetic training split.
  int64_t batch = d.kind == DataKind::Synthetic
                      ? std::min(t.batchSize, d.synthetic.trainSize)
                      : t.batchSize;
  int64_t batchValues = 0;
  if (batchOk && batch >= 1 &&
      (llvm::MulOverflow(batch, perImage, batchValues) ||
       batchValues > kMaxBatchValues))
    r.error("training.batch_size",
            fmt::format("a batch of {} images of {} values each exceeds the "
                        "{} values (4 GiB) a batch may hold",
                        batch, perImage, kMaxBatchValues));
  if (d.kind != DataKind::Synthetic)
    return;
  bool classesOk = r.check(
      d.synthetic.classes <= kMaxClasses, "data.synthetic.classes",
      fmt::format("at most {} classes", kMaxClasses), d.synthetic.classes);
  int64_t patternValues = 0;
  if (classesOk &&
      (llvm::MulOverflow(d.synthetic.classes, perImage, patternValues) ||
       patternValues > kMaxSyntheticValues))
    r.error("data.synthetic.classes",
            fmt::format("{} class patterns of {} values each exceed the {} "
                        "values (4 GiB) synthetic data may hold",
                        d.synthetic.classes, perImage, kMaxSyntheticValues));
  for (auto [key, size] :
       {std::pair{"data.synthetic.train_size", d.synthetic.trainSize},
        std::pair{"data.synthetic.test_size", d.synthetic.testSize}}) {
    int64_t values = 0;
    if (llvm::MulOverflow(size, perImage, values) ||
        values > kMaxSyntheticValues)
      r.error(key, fmt::format("{} images of {} values each exceed the {} "
                               "values (4 GiB) a synthetic split may hold",
                               size, perImage, kMaxSyntheticValues));
  }
}

void he::frontend::checkNetworkFiles(Reader &r, const Experiment &e) {
  // A missing file is reported with the data paths.
  if (e.model.isFile() && llvm::sys::fs::exists(e.model.name))
    if (std::optional<std::string> problem = networkFileProblem(e.model.name))
      r.error("model.name", *problem);
}
