#ifndef HE_TRANSFORMS_LOWERMAXPOOL_H
#define HE_TRANSFORMS_LOWERMAXPOOL_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_LOWERMAXPOOL
#include "lib/Transforms/LowerMaxPool/LowerMaxPool.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/LowerMaxPool/LowerMaxPool.h.inc"
} // namespace he

#endif
