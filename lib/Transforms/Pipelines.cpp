#include "lib/Transforms/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

// Built from text, by pass name, so that the pipeline depends only on the
// registry and not on each pass's headers.
mlir::LogicalResult he::buildPolynomialPipeline(mlir::OpPassManager &pm,
                                                llvm::raw_ostream &errors) {
  return mlir::parsePassPipeline(
      "he-finalize-transition,canonicalize,he-fold-batchnorm,"
      "he-absorb-scalars,he-verify-polynomial",
      pm, errors);
}

void he::registerHePipelines() {
  mlir::registerPassPipeline(
      "he-polynomial-pipeline",
      "End the transition, fold batch-norm, absorb scalars and verify that "
      "the network is polynomial",
      [](mlir::OpPassManager &pm, llvm::StringRef options,
         llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)>
             errorHandler) -> mlir::LogicalResult {
        if (!options.empty())
          return errorHandler("he-polynomial-pipeline takes no options");
        std::string errors;
        llvm::raw_string_ostream stream(errors);
        if (mlir::failed(buildPolynomialPipeline(pm, stream)))
          return errorHandler("he-polynomial-pipeline: " + errors);
        return mlir::success();
      },
      [](llvm::function_ref<void(const mlir::detail::PassOptions &)>) {});
}
