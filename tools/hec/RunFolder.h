// What a sweep's run folder holds for its figures, read back from its files:
// per method and seed, the epochs of metrics.jsonl, the activations of
// model.mlirbc (learned coefficients, calibrated input ranges) and the
// critical path of depth.json. `hec plot` draws from this, so a folder
// written by any earlier hec gets its figures too.
#ifndef HEC_TOOLS_RUNFOLDER_H
#define HEC_TOOLS_RUNFOLDER_H

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hec {
/// One line of metrics.jsonl.
struct EpochRecord {
  int64_t epoch = 0;
  std::optional<double> loss; ///< none: every batch was skipped
  double accuracy = 0;        ///< on the evaluated split, percent
  double lambda = 0;          ///< the transition's blend (0: ReLU, 1: poly)
  double poolLambda = 0;      ///< max-pool to avg-pool blend
  /// Effective coefficients (ascending powers) by layer name ("conv1.act").
  std::vector<std::pair<std::string, std::vector<double>>> coefficients;
};

/// One activation of the written model, in program order.
struct ActivationRecord {
  std::string layer;          ///< the op's name ("conv1.act")
  bool polynomial = false;    ///< he.poly_act (else he.relu)
  bool trainable = false;     ///< its coefficients were learned
  std::vector<double> coeffs; ///< as trained (ascending powers)
  /// The input's calibrated [min, max] in the coordinates of training (the
  /// written model may carry a scalar of the layer before into it).
  std::optional<std::pair<double, double>> inputRange;
};

/// One op of depth.json's critical path.
struct DepthStep {
  std::string name, op;
  int64_t cost = 0, outLevel = 0;
};

struct SeedRecord {
  int64_t seed = 0;
  std::vector<EpochRecord> epochs;
  std::vector<ActivationRecord> activations; ///< empty without a model
  std::vector<DepthStep> criticalPath;       ///< empty unless polynomial
  std::optional<int64_t> totalDepth;
};

struct MethodRecord {
  std::string method;
  bool distillation = false; ///< its loss is the distillation loss
  std::vector<SeedRecord> seeds;
};

struct RunFolder {
  std::string dir;
  std::string experiment;            ///< results.json's name, else the folder's
  std::string split;                 ///< "test" or "validation"
  std::vector<MethodRecord> methods; ///< in the paper's order
  /// Models and depth reports that could not be read, each as an error
  /// naming the file: the figures are drawn without them.
  std::vector<std::string> unread;
};

/// Reads `dir`: every <method>/seed-<n> folder with a metrics.jsonl. An
/// error names the file and what was expected of it: a metrics.jsonl, or
/// results.json, stops the reading; a model or depth report goes to
/// `unread`.
llvm::Expected<RunFolder> readRunFolder(const std::string &dir);

/// The input range of an activation in training coordinates, from the
/// written model's coefficients `stored` (x' = s x, y = t p'(x')) and the
/// trained ones `trained`: s = (a b')/(b a') for a quadratic. 1 when the
/// coefficients do not determine it (a single term).
double inputScale(const std::vector<double> &trained,
                  const std::vector<double> &stored);
} // namespace hec

#endif
