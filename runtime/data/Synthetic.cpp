// syntheticDataset() (runtime/Data.h) as a source: a learnable toy task.
#include "runtime/data/Source.h"

namespace he::runtime {
namespace {
class SyntheticSource : public DataSource {
public:
  SyntheticSource(int64_t classes, int64_t trainSize, int64_t testSize)
      : classes_(classes), trainSize_(trainSize), testSize_(testSize) {}
  bool hasSplit(Split split) const override { return split != Split::Val; }
  LoadedSplit load(Split split, const LoadOptions &o) const override {
    if (split == Split::Val)
      throw Error("synthetic data has no val split (use data.validation)");
    // One fixed task (seed 0); the run seeds vary the network and the
    // batch order, as for a real data set.
    bool train = split == Split::Train;
    const auto &s = o.imageSize;
    LoadedSplit out;
    out.data = syntheticDataset(train ? trainSize_ : testSize_, s[0], s[1],
                                s[2], classes_, 0, train ? 0 : 1);
    return out;
  }

private:
  int64_t classes_, trainSize_, testSize_;
};
} // namespace

std::unique_ptr<DataSource> syntheticSource(int64_t classes, int64_t trainSize,
                                            int64_t testSize) {
  return std::make_unique<SyntheticSource>(classes, trainSize, testSize);
}
} // namespace he::runtime
