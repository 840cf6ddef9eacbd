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
  // damaged bytes; stdin or a pipe is read and checked here too. The
  // dialects are those --he-to-onnx registers.
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  std::vector<std::string> args(argv, argv + argc);
  if (std::optional<std::string> problem =
          he::frontend::guardInputFile(args, registry)) {
    llvm::errs() << "he-translate: " << *problem << "\n";
    return 1;
  }
  std::vector<char *> newArgv;
  for (std::string &arg : args)
    newArgv.push_back(arg.data());
  newArgv.push_back(nullptr);
  return mlir::failed(mlir::mlirTranslateMain(
             static_cast<int>(args.size()), newArgv.data(),
             "he-translate: translations of the he dialect\n"))
             ? 1
             : 0;
}
