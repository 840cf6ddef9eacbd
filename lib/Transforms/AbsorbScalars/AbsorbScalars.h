#ifndef HE_TRANSFORMS_ABSORBSCALARS_H
#define HE_TRANSFORMS_ABSORBSCALARS_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_ABSORBSCALARS
#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h.inc"
} // namespace he

#endif
