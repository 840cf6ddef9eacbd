#include "tools/hec/OnnxOutput.h"

#include "dialect/HeOps.h"
#include "lib/Analysis/DepthAnalysis.h"
#include "lib/Frontend/DiagnosticCollector.h"
#include "lib/Target/ONNX/ExportONNX.h"
#include "tools/hec/Results.h"

llvm::Error hec::writeOnnxModel(mlir::ModuleOp module,
                                const std::string &folder,
                                const he::CkksOptions &ckks) {
  bool polynomial = true;
  module.walk([&](mlir::Operation *op) {
    if (llvm::isa_and_nonnull<he::HeDialect>(op->getDialect()) &&
        !he::isPolynomialOp(op))
      polynomial = false;
  });
  if (!polynomial)
    return llvm::Error::success();
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  he::frontend::DiagnosticCollector diagnostics(module.getContext());
  he::OnnxExportOptions options;
  options.ckks = ckks;
  if (mlir::failed(he::exportToOnnx(module, os, options)))
    return diagnostics.error("model.onnx not written");
  return hec::writeFileAtomically(folder + "/model.onnx", os.str());
}
