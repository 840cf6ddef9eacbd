// Classification metrics: accuracy, macro-F1, the confusion matrix.
#ifndef HE_RUNTIME_METRICS_H
#define HE_RUNTIME_METRICS_H

#include "runtime/Data.h"

#include <torch/types.h>

namespace he::runtime {
class HeModule;

struct EvalResult {
  double accuracy = 0;     ///< fraction in [0, 1]
  double macroF1 = 0;      ///< in [0, 1]
  torch::Tensor confusion; ///< int64 [C, C]: row = true class, col = predicted
};

/// Confusion matrix of predicted vs true labels (both int64 [N]).
torch::Tensor confusionMatrix(const torch::Tensor &predicted,
                              const torch::Tensor &labels, int64_t numClasses);

/// Macro-F1 of a confusion matrix: per class 2TP / (2TP + FP + FN), averaged
/// over the classes that occur in the labels or in the predictions. A class
/// absent from both is left out of the average, as scikit-learn's
/// f1_score(average="macro") does when it infers the labels from the data;
/// a class that occurs but is never predicted right scores 0 (its
/// zero_division never arises: 2TP + FP + FN > 0 for it). 0 when no class
/// occurs at all.
double macroF1(const torch::Tensor &confusion);

/// Runs `model` in eval mode (without gradients) over `data` in batches on
/// `device`; restores the module's train/eval mode afterwards.
EvalResult evaluate(HeModule &model, const Dataset &data,
                    int64_t batchSize = 256,
                    torch::Device device = torch::kCPU);
} // namespace he::runtime

#endif
