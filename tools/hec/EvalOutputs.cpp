#include "tools/hec/EvalOutputs.h"

#include "tools/hec/Results.h"

#include "runtime/Stop.h"

#include <fmt/format.h>

#include <torch/torch.h>

llvm::Error hec::writeRawImages(const he::runtime::Dataset &data,
                                const std::string &path) {
  // The images as the network sees them: converted and normalised.
  torch::Tensor images =
      data.floatImages().to(torch::kCPU, torch::kFloat32).contiguous();
  std::string bytes(reinterpret_cast<const char *>(images.data_ptr<float>()),
                    size_t(images.numel()) * sizeof(float));
  return hec::writeFileAtomically(path, bytes);
}

llvm::Error hec::writeLabels(const he::runtime::Dataset &data,
                             const std::string &path) {
  torch::Tensor labels =
      data.labels.to(torch::kCPU, torch::kInt64).contiguous();
  const int64_t *p = labels.data_ptr<int64_t>();
  std::string text;
  for (int64_t i = 0; i < labels.numel(); ++i)
    text += std::to_string(p[i]) + "\n";
  return hec::writeFileAtomically(path, text);
}

llvm::Error hec::writeLogits(he::runtime::HeModule &net,
                             const he::runtime::Dataset &data,
                             torch::Device device, const std::string &path) {
  bool wasTraining = net.is_training();
  net.eval();
  torch::NoGradGuard noGrad;
  std::string text;
  constexpr int64_t batch = 256;
  for (int64_t start = 0; start < data.size(); start += batch) {
    he::runtime::checkStop("writing the logits");
    int64_t end = std::min(start + batch, data.size());
    torch::Tensor logits =
        net.forward(data.gather(torch::arange(start, end), device).first)
            .to(torch::kCPU, torch::kFloat32)
            .contiguous();
    torch::Tensor predicted = logits.argmax(1);
    auto rows = logits.accessor<float, 2>();
    for (int64_t i = 0; i < logits.size(0); ++i) {
      text += fmt::format("{} {}", start + i, predicted[i].item<int64_t>());
      for (int64_t c = 0; c < logits.size(1); ++c)
        text += fmt::format(" {:.9g}", rows[i][c]);
      text += "\n";
    }
  }
  net.train(wasTraining);
  return hec::writeFileAtomically(path, text);
}
