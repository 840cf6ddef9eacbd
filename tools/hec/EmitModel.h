// After a run has trained: its network made polynomial-only (finalize,
// fold, absorb, verify), calibrated, and written with its depth report:
// depth.json, model.mlirbc (with its checksum), model.mlir, model.onnx.
#ifndef HEC_TOOLS_EMITMODEL_H
#define HEC_TOOLS_EMITMODEL_H

#include "lib/Analysis/DepthReportFormat.h"
#include "lib/Frontend/Experiment.h"
#include "tools/hec/ExperimentData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace hec {
/// Runs `funcPipeline` (a textual pipeline nested in func.func; may be
/// empty) and then, with `polynomialPipeline`, hec's polynomial pipeline.
/// Throws RunFailure when a pass fails, with the errors it emitted
/// (frontend::DiagnosticCollector).
void runPasses(mlir::ModuleOp module, llvm::StringRef funcPipeline,
               bool polynomialPipeline);

/// func.func @forward; throws RunFailure when there is none.
mlir::func::FuncOp forwardOf(mlir::ModuleOp module);

/// model.mlirbc, its checksum sidecar (first) and model.mlir in `folder`.
void writeModule(mlir::ModuleOp module, const std::string &folder);

/// The experiment's [he] table as the depth report's options.
he::CkksOptions ckksOptionsOf(const he::frontend::Experiment &exp);

struct EmittedModel {
  std::optional<int64_t> depth; ///< none: not polynomial
  std::string onnxNote;         ///< why there is no model.onnx (else empty)
};

/// Makes the trained `module` polynomial-only when `polynomial` (else only
/// finalizes it), records the activation ranges over `data.train`, and
/// writes depth.json, the model files and model.onnx into `folder`.
EmittedModel emitModel(mlir::ModuleOp module, bool polynomial,
                       const he::frontend::Experiment &exp, const Splits &data,
                       torch::Device device, const std::string &folder);
} // namespace hec

#endif
