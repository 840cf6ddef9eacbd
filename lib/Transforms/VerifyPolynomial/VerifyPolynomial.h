#ifndef HE_TRANSFORMS_VERIFYPOLYNOMIAL_H
#define HE_TRANSFORMS_VERIFYPOLYNOMIAL_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_VERIFYPOLYNOMIAL
#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h.inc"
} // namespace he

#endif
