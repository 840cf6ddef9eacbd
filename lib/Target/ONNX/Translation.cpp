// Registers `--he-to-onnx` with mlir-translate's registry (he-translate).
#include "lib/Target/ONNX/ExportONNX.h"

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

namespace he {
void registerHeToOnnxTranslation() {
  static mlir::TranslateFromMLIRRegistration reg(
      "he-to-onnx",
      "write a polynomial he network as an ONNX model (opset 13) for HE "
      "runtimes",
      [](mlir::Operation *op, llvm::raw_ostream &os) -> mlir::LogicalResult {
        auto module = llvm::dyn_cast<mlir::ModuleOp>(op);
        if (!module)
          return op->emitError() << "the ONNX export takes a builtin.module";
        return exportToOnnx(module, os);
      },
      [](mlir::DialectRegistry &registry) {
        registry.insert<HeDialect, mlir::func::FuncDialect>();
      });
}
} // namespace he
