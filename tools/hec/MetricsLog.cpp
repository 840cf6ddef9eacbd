#include "tools/hec/MetricsLog.h"

#include "tools/hec/Results.h"
#include "tools/hec/RunFailure.h"

#include "llvm/Support/FormatVariadic.h"

using namespace hec;

llvm::json::Value hec::epochJson(const he::runtime::EpochMetrics &m,
                                 const std::string &split, bool allSkipped) {
  llvm::json::Object coeffs;
  for (const auto &[name, values] : m.coefficients) {
    llvm::json::Array a;
    for (double v : values)
      a.push_back(v);
    coeffs[name] = std::move(a);
  }
  llvm::json::Value loss = nullptr;
  if (!allSkipped)
    loss = m.loss;
  return llvm::json::Object{{"epoch", m.epoch},
                            {"loss", std::move(loss)},
                            {"train_accuracy", m.trainAccuracy},
                            {split + "_accuracy", m.testAccuracy},
                            {split + "_macro_f1", m.testMacroF1},
                            {"lambda", m.lambda},
                            {"lr", m.lr},
                            {"pool", he::runtime::poolModeName(m.poolMode)},
                            {"pool_lambda", m.poolLambda},
                            {"seconds", m.seconds},
                            {"images_per_s", m.imagesPerSecond},
                            {"skipped_batches", m.skippedBatches},
                            {"grad_norm", m.gradNormMean},
                            {"grad_norm_max", m.gradNormMax},
                            {"clipped_batches", m.clippedBatches},
                            {"coefficients", std::move(coeffs)}};
}

void MetricsLog::add(const he::runtime::EpochMetrics &m, bool allSkipped) {
  text_ += llvm::formatv("{0}\n", epochJson(m, split_, allSkipped)).str();
  if (auto err = writeFileAtomically(path_, text_))
    throw RunFailure(llvm::toString(std::move(err)));
}
