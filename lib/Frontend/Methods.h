// The training methods, defined once: each method's name, the activation
// pass that makes its network, whether it follows the transition schedule,
// whether it distils, the ReLU-fit policy and what a run needs of its seed's
// baseline. The parser, the network checks, the sweep's order, the driver's
// pipelines and the runtime's options all read this table.
#ifndef HE_FRONTEND_METHODS_H
#define HE_FRONTEND_METHODS_H

#include "lib/Frontend/Experiment.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace he::frontend {
struct MethodSpec {
  Method method;
  llvm::StringRef name; ///< as experiment files write it
  /// he-replace-activations' method ("" for the baseline, which keeps ReLU).
  llvm::StringRef activations;
  /// Blends ReLU into the polynomial over [transition] (he.blend, λ per
  /// epoch), with max-pool lowered to a blend of max and avg as well.
  bool transition;
  /// Learns from the logits of its seed's trained baseline.
  bool distillation;
  /// Ends as a polynomial-only network.
  bool polynomial() const { return !activations.empty(); }
};

/// Every method, in the order of the paper's tables: row i is the method
/// of enum value i (specOf indexes by it).
llvm::ArrayRef<MethodSpec> methodTable();
const MethodSpec &specOf(Method method);

/// Whether a run of `method` learns from the logits of its seed's trained
/// baseline: a distilling method with distillation.teacher = "baseline".
bool distilsFromBaseline(const Experiment &experiment, Method method);
/// Whether a run of `method` starts from its seed's trained baseline
/// (training.init = "baseline"; the baseline itself starts from scratch).
bool startsFromBaseline(const Experiment &experiment, Method method);
/// Whether a run of `method` needs its seed's trained baseline, as its
/// teacher or as its starting weights: the baseline then trains first, and
/// must be among the experiment's methods.
bool needsBaseline(const Experiment &experiment, Method method);
/// Whether any of the experiment's methods distils (and so has a teacher).
bool distils(const Experiment &experiment);

/// Whether a run of `method` starts its polynomials at the least-squares fit
/// of ReLU (polynomial.fit_relu): when they take over from a trained ReLU
/// network, i.e. with the transition or from the baseline's weights.
bool fitsRelu(const Experiment &experiment, Method method);

/// The func.func-level pass pipeline (he-opt syntax) that turns the ReLU
/// network into the one the method trains; empty for the baseline.
std::string methodPipeline(Method method, const PolynomialConfig &poly);
} // namespace he::frontend

#endif
