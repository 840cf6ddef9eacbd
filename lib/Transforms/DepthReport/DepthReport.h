#ifndef HE_TRANSFORMS_DEPTHREPORT_H
#define HE_TRANSFORMS_DEPTHREPORT_H

#include "dialect/HeOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace he {
#define GEN_PASS_DECL_DEPTHREPORT
#include "lib/Transforms/DepthReport/DepthReport.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/DepthReport/DepthReport.h.inc"
} // namespace he

#endif
