// he-opt: mlir-opt for the he dialect, its passes and the depth report.
#include "dialect/HeOps.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Transforms/Passes.h"
#include "tools/he-opt/DepthReportFlags.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  he::registerHePasses();

  // `--depth-report-format=json` and friends become the pass's own options.
  std::vector<std::string> args =
      he::rewriteDepthReportFlags(std::vector<std::string>(argv, argv + argc));
  // Bytecode is parsed only once a contained parse survived it (or its
  // checksum sidecar matched): MLIR's reader crashes on damaged bytes.
  if (std::optional<std::string> problem =
          he::frontend::guardInputFile(args, registry)) {
    llvm::errs() << "he-opt: " << *problem << "\n";
    return 1;
  }
  std::vector<char *> newArgv;
  for (std::string &arg : args)
    newArgv.push_back(arg.data());
  newArgv.push_back(nullptr);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(static_cast<int>(args.size()), newArgv.data(),
                        "he-opt: the he dialect's optimiser\n", registry));
}
