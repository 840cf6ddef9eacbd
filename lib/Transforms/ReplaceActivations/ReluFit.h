// The least-squares polynomial fit of ReLU that starts a trainable
// activation of degree other than 2 near ReLU.
#ifndef HE_TRANSFORMS_REPLACEACTIVATIONS_RELUFIT_H
#define HE_TRANSFORMS_REPLACEACTIVATIONS_RELUFIT_H

#include "llvm/ADT/SmallVector.h"

namespace he {
/// The highest degree fitted. The fit is exact in the Legendre basis, but
/// its monomial coefficients grow like 2^degree and cancel: on [-1, 1] their
/// rounding error is 6.6e-6 at degree 32 (0.07% of the fit's own error,
/// 9.5e-3), 3.1e-3 at 38 (37%), 5.8e-2 at 42 (more than the fit's) and 379
/// at 50 (docs/reliability.md).
constexpr unsigned kMaxFitDegree = 32;

/// Coefficients (ascending powers of x) of the polynomial of degree
/// `degree` >= 1 that minimises the integral of (p(x) - max(x, 0))^2 over
/// [-range, range], range > 0.
llvm::SmallVector<double> fitRelu(unsigned degree, double range);
} // namespace he

#endif
