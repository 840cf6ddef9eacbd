// he-translate: mlir-translate for the he dialect (`--he-to-onnx`).
#include "dialect/HeOps.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Target/ONNX/ExportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

int main(int argc, char **argv) {
  he::registerHeToOnnxTranslation();
  // Bytecode is translated only once a contained parse survived it (or its
  // checksum sidecar matched), as in he-opt: MLIR's reader crashes on
  // damaged bytes. The dialects are those --he-to-onnx registers.
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  if (std::optional<std::string> problem = he::frontend::guardInputFile(
          std::vector<std::string>(argv, argv + argc), registry)) {
    llvm::errs() << "he-translate: " << *problem << "\n";
    return 1;
  }
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "he-translate: translations of the he dialect\n"))
             ? 1
             : 0;
}
