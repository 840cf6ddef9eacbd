// Fashion-MNIST (or MNIST) as IDX files (runtime/Idx.h): small enough to be
// held in memory as read, uint8 [N, 1, 28, 28]; no decode cache.
#include "runtime/data/Source.h"

#include <fmt/format.h>

namespace he::runtime {
namespace {
class FashionMnistSource : public DataSource {
public:
  explicit FashionMnistSource(std::string path) : path_(std::move(path)) {}
  bool hasSplit(Split split) const override { return split != Split::Val; }
  LoadedSplit load(Split split, const LoadOptions &o) const override {
    if (split == Split::Val)
      throw Error("Fashion-MNIST has no val split (use data.validation)");
    LoadedSplit out;
    out.data = loadFashionMnist(path_, split == Split::Train);
    out.data.classNames = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                           "Coat",        "Sandal",    "Shirt",    "Sneaker",
                           "Bag",         "Ankle boot"};
    return out;
  }

private:
  std::string path_;
};

} // namespace

std::unique_ptr<DataSource> fashionMnistSource(const std::string &path) {
  return std::make_unique<FashionMnistSource>(path);
}

} // namespace he::runtime
