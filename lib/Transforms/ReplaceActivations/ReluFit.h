// The least-squares polynomial fit of ReLU that starts a trainable
// activation of degree other than 2 near ReLU.
#ifndef HE_TRANSFORMS_REPLACEACTIVATIONS_RELUFIT_H
#define HE_TRANSFORMS_REPLACEACTIVATIONS_RELUFIT_H

#include "llvm/ADT/SmallVector.h"

namespace he {
/// Coefficients (ascending powers of x) of the polynomial of degree
/// `degree` >= 1 that minimises the integral of (p(x) - max(x, 0))^2 over
/// [-range, range], range > 0.
llvm::SmallVector<double> fitRelu(unsigned degree, double range);
} // namespace he

#endif
