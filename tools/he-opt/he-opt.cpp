// he-opt: mlir-opt for the he dialect, its passes and the depth report.
#include "dialect/HeOps.h"
#include "lib/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  he::registerHePasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "he-opt: the he dialect's optimiser\n", registry));
}
