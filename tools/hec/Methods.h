// What each training method does to the ReLU network before training: a
// he-opt pass pipeline. The schedule side (transition, distillation) is read
// off the method by the sweep.
#ifndef HEC_TOOLS_METHODS_H
#define HEC_TOOLS_METHODS_H

#include "lib/Frontend/Experiment.h"

#include <string>

namespace hec {
/// Ends as a polynomial-only network (all but the baseline).
bool isPolynomial(he::frontend::Method method);
/// Learns from the baseline of the same seed.
bool usesDistillation(he::frontend::Method method);

/// The func.func-level pass pipeline (he-opt syntax) that turns the ReLU
/// network into the one the method trains; empty for the baseline.
std::string methodPipeline(he::frontend::Method method,
                           const he::frontend::PolynomialConfig &poly);
} // namespace hec

#endif
