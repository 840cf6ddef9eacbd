#include "tools/hec/OnnxOutput.h"

#include "dialect/HeOps.h"
#include "lib/Analysis/DepthAnalysis.h"
#include "lib/Target/ONNX/ExportONNX.h"
#include "tools/hec/Results.h"

#include "mlir/IR/Diagnostics.h"

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
  std::string bytes, diagnostics;
  llvm::raw_string_ostream os(bytes), ds(diagnostics);
  mlir::LogicalResult result = mlir::success();
  {
    mlir::ScopedDiagnosticHandler handler(
        module.getContext(), [&](mlir::Diagnostic &d) {
          ds << d.getLocation() << ": " << d << "\n";
          return mlir::success();
        });
    he::OnnxExportOptions options;
    options.ckks = ckks;
    result = he::exportToOnnx(module, os, options);
  }
  if (mlir::failed(result))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "model.onnx not written: " + diagnostics);
  return hec::writeFileAtomically(folder + "/model.onnx", os.str());
}
