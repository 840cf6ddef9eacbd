// MLIR's diagnostics become the driver's errors in one place
// (frontend::DiagnosticCollector): a pass's error reaches the exception a run
// fails with, located, and warnings still reach the handlers before it.
#include "lib/Frontend/DiagnosticCollector.h"
#include "lib/Transforms/Passes.h"
#include "tools/hec/EmitModel.h"
#include "tools/hec/RunFailure.h"

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace {
using he::frontend::DiagnosticCollector;

TEST(DiagnosticCollector, ErrorsLocatedWarningsPassedOn) {
  mlir::MLIRContext context;
  std::vector<std::string> before;
  mlir::ScopedDiagnosticHandler outer(&context, [&](mlir::Diagnostic &d) {
    before.push_back(d.str());
    return mlir::success();
  });
  DiagnosticCollector diagnostics(&context);
  EXPECT_EQ(diagnostics.message("nothing failed"), "nothing failed");
  EXPECT_EQ(llvm::toString(diagnostics.error("nothing failed")),
            "nothing failed");
  mlir::emitWarning(mlir::UnknownLoc::get(&context), "just so");
  mlir::emitError(mlir::FileLineColLoc::get(&context, "net.mlir", 3, 7),
                  "no good")
          .attachNote(mlir::NameLoc::get(mlir::StringAttr::get(&context, "fc")))
      << "here";
  mlir::emitError(mlir::NameLoc::get(mlir::StringAttr::get(&context, "fc")),
                  "named");
  mlir::emitError(mlir::UnknownLoc::get(&context), "nowhere");
  EXPECT_EQ(before, std::vector<std::string>{"just so"});
  // The note is dropped: the pass manager's "see current operation" would
  // print the whole op.
  EXPECT_EQ(diagnostics.message("it failed"),
            "it failed: net.mlir:3:7: no good; fc: named; nowhere");
  llvm::Error error = diagnostics.error("it failed");
  EXPECT_EQ(llvm::toString(std::move(error)),
            "it failed: net.mlir:3:7: no good; fc: named; nowhere");
}

// The pass's own error is the run's failure message, not "see above".
TEST(RunPasses, APassFailureCarriesItsErrors) {
  he::registerHePasses();
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  mlir::ParserConfig config(&context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(
          "func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {\n"
          "  %r = he.relu %x {name = \"act1\"} : tensor<?x4xf32>\n"
          "  return %r : tensor<?x4xf32>\n"
          "}\n",
          config, "net.mlir");
  ASSERT_TRUE(module);
  try {
    hec::runPasses(*module, "he-verify-polynomial", false);
    FAIL() << "he-verify-polynomial passed a ReLU";
  } catch (const hec::RunFailure &e) {
    EXPECT_EQ(std::string(e.what()),
              "a pass failed: net.mlir:2:8: 'he.relu' op (layer act1) is not "
              "a polynomial; run he-replace-activations");
  }
}
} // namespace
