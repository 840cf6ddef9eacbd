#include "runtime/Calibrate.h"

#include "runtime/Stop.h"

#include <fmt/format.h>

#include <torch/torch.h>

#include <cmath>

namespace he::runtime {
namespace {
constexpr int64_t kPerOctave = 16;
constexpr int64_t kLowestOctave = -64; // |x| below 2^-64 counts as 2^-64
constexpr int64_t kBins = 128 * kPerOctave;

/// Min, max and a histogram of log2|x| of one value, kept on its device.
class RangeAccumulator {
public:
  void add(const torch::Tensor &x) {
    torch::Tensor v = x.detach().to(torch::kFloat).flatten();
    if (v.numel() == 0)
      return;
    // Infinities are ordered: min, max and the clamped bins take them.
    if (torch::isnan(v).any().item<bool>()) {
      nan_ = true;
      return;
    }
    torch::Tensor lo = v.min(), hi = v.max();
    min_ = min_.defined() ? torch::minimum(min_, lo) : lo;
    max_ = max_.defined() ? torch::maximum(max_, hi) : hi;
    torch::Tensor bins =
        ((v.abs().log2() - double(kLowestOctave)) * double(kPerOctave))
            .floor()
            .clamp(0, kBins - 1)
            .to(torch::kLong);
    torch::Tensor counts = torch::bincount(bins, {}, kBins);
    counts_ = counts_.defined() ? counts_ + counts : counts;
  }

  bool sawNan() const { return nan_; }

  ObservedRange result() const {
    ObservedRange r;
    if (!min_.defined())
      return r;
    r.min = min_.item<double>();
    r.max = max_.item<double>();
    torch::Tensor cum = counts_.to(torch::kCPU).cumsum(0);
    int64_t total = cum[kBins - 1].item<int64_t>();
    auto rank = static_cast<int64_t>(std::ceil(0.9999 * double(total)));
    int64_t bin = (cum < rank).sum().item<int64_t>();
    double edge =
        std::exp2(double(bin + 1) / double(kPerOctave) + double(kLowestOctave));
    r.absP9999 = std::min(edge, std::max(std::fabs(r.min), std::fabs(r.max)));
    return r;
  }

private:
  torch::Tensor min_, max_, counts_;
  bool nan_ = false;
};
} // namespace

ObservedRanges observeRanges(HeModule &net, const Dataset &data,
                             int64_t batchSize, torch::Device device) {
  bool wasTraining = net.is_training();
  net.eval();
  torch::NoGradGuard noGrad;
  RangeAccumulator input;
  std::vector<RangeAccumulator> steps(net.observedStepCount());
  net.setStepObserver([&](size_t i, const torch::Tensor &out) {
    if (i < steps.size())
      steps[i].add(out);
  });
  // The observer refers to this frame: off again even when forward throws.
  struct Reset {
    HeModule &net;
    bool training;
    ~Reset() {
      net.setStepObserver({});
      net.train(training);
    }
  } reset{net, wasTraining};
  BatchIterator batches(data, batchSize, /*shuffle=*/false, 0, device);
  torch::Tensor images, labels;
  while (batches.next(images, labels)) {
    checkStop("calibrating");
    input.add(images);
    net.forward(images);
  }
  auto refuse = [&](const std::string &what) {
    throw NonFiniteActivations(fmt::format(
        "{} NaN values on the {} calibration images", what, data.size()));
  };
  if (input.sawNan())
    refuse("the input has");
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].sawNan())
      refuse(fmt::format("layer {} has", net.stepLabel(i)));
  ObservedRanges out;
  out.input = input.result();
  for (const RangeAccumulator &a : steps)
    out.steps.push_back(a.result());
  return out;
}
} // namespace he::runtime
