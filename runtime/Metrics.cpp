#include "runtime/Metrics.h"
#include "runtime/HeModule.h"
#include "runtime/Stop.h"

namespace he::runtime {
torch::Tensor confusionMatrix(const torch::Tensor &predicted,
                              const torch::Tensor &labels, int64_t numClasses) {
  torch::Tensor index = (labels.to(torch::kCPU, torch::kLong) * numClasses +
                         predicted.to(torch::kCPU, torch::kLong));
  return torch::bincount(index, {}, numClasses * numClasses)
      .view({numClasses, numClasses});
}

double macroF1(const torch::Tensor &confusion) {
  torch::Tensor c = confusion.to(torch::kCPU, torch::kDouble);
  torch::Tensor tp = c.diagonal();
  torch::Tensor fp = c.sum(0) - tp, fn = c.sum(1) - tp;
  torch::Tensor denominator = tp * 2 + fp + fn;
  torch::Tensor present = denominator > 0;
  int64_t classes = present.sum().item<int64_t>();
  if (classes == 0)
    return 0.0;
  torch::Tensor f1 = (tp * 2 / denominator.clamp_min(1)).masked_select(present);
  return f1.sum().item<double>() / double(classes);
}

EvalResult evaluate(HeModule &model, const Dataset &data, int64_t batchSize,
                    torch::Device device) {
  // The mode comes back also when a stop request ends the pass.
  struct Mode {
    HeModule &model;
    bool training;
    ~Mode() { model.train(training); }
  } mode{model, model.is_training()};
  model.eval();
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> predictions;
  BatchIterator batches(data, batchSize, /*shuffle=*/false, 0, device);
  torch::Tensor images, labels;
  while (batches.next(images, labels)) {
    checkStop("evaluating");
    predictions.push_back(model.forward(images).argmax(1).to(torch::kCPU));
  }
  EvalResult result;
  torch::Tensor predicted = predictions.empty()
                                ? torch::empty({0}, torch::kLong)
                                : torch::cat(predictions);
  result.confusion = confusionMatrix(predicted, data.labels, data.numClasses);
  int64_t n = data.size();
  result.accuracy =
      n ? result.confusion.diagonal().sum().item<int64_t>() / double(n) : 0.0;
  result.macroF1 = macroF1(result.confusion);
  return result;
}
} // namespace he::runtime
