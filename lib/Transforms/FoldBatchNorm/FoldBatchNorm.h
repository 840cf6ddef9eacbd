#ifndef HE_TRANSFORMS_FOLDBATCHNORM_H
#define HE_TRANSFORMS_FOLDBATCHNORM_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_FOLDBATCHNORM
#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h.inc"
} // namespace he

#endif
