#ifndef HE_TRANSFORMS_FINALIZETRANSITION_H
#define HE_TRANSFORMS_FINALIZETRANSITION_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_FINALIZETRANSITION
#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h.inc"
} // namespace he

#endif
