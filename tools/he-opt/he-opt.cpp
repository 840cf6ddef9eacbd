// he-opt: mlir-opt for the he dialect, its passes and the depth report.
#include "dialect/HeOps.h"
#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Transforms/Passes.h"
#include "tools/he-opt/DepthReportFlags.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  he::registerHePasses();

  // `--depth-report-format=json` and friends become the pass's own options.
  std::vector<std::string> args =
      he::rewriteDepthReportFlags(std::vector<std::string>(argv, argv + argc));
  std::vector<char *> newArgv;
  for (std::string &arg : args)
    newArgv.push_back(arg.data());
  newArgv.push_back(nullptr);
  int newArgc = static_cast<int>(args.size());
  const char *overview = "he-opt: the he dialect's optimiser\n";
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      newArgc, newArgv.data(), overview, registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects())
    return mlir::asMainReturnCode(mlir::MlirOptMain(
        newArgc, newArgv.data(), inputFile, outputFile, registry));

  // The input is read once, here, as MlirOptMain would; bytecode in it
  // (a file, a pipe or stdin) is parsed only once a contained parse did, or
  // its checksum sidecar matched: MLIR's reader crashes on damaged bytes.
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      he::frontend::readToolInput(inputFile, error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (std::optional<std::string> problem = he::frontend::bytecodeProblem(
          inputFile == "-" ? "<stdin>" : inputFile, input->getBuffer(),
          registry, config.shouldAllowUnregisteredDialects())) {
    llvm::errs() << "he-opt: " << *problem << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
