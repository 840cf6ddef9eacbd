// The he pass pipelines.
#ifndef HE_TRANSFORMS_PIPELINES_H
#define HE_TRANSFORMS_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace he {
/// The passes that make a trained network polynomial-only and check it:
/// he-finalize-transition, canonicalize, he-fold-batchnorm,
/// he-absorb-scalars, he-verify-polynomial. Fails, printing why to
/// `errors`, when one of those passes is not registered.
mlir::LogicalResult
buildPolynomialPipeline(mlir::OpPassManager &pm,
                        llvm::raw_ostream &errors = llvm::errs());

/// Registers `he-polynomial-pipeline`.
void registerHePipelines();
} // namespace he

#endif
