// he-experiment-check: validates an experiment file and the network it
// names, the way hec does before it trains anything. Prints every error
// (file:line:col: error: key: message) and exits 1, or prints the normalised
// experiment (every default filled in) and, with --emit-ir, the network.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/NetworkLoader.h"
#include "lib/Frontend/Zoo.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace he::frontend;

// --help lists these, not the many options LLVM's libraries register.
static cl::OptionCategory checkOptions("he-experiment-check options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<experiment.toml>"),
                                      cl::cat(checkOptions));
static cl::opt<bool> emitIR("emit-ir",
                            cl::desc("Print the network's he IR instead of "
                                     "the normalised experiment"),
                            cl::cat(checkOptions));
static cl::opt<bool>
    noPathCheck("no-path-check",
                cl::desc("Do not check that data sets and files exist"),
                cl::cat(checkOptions));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(checkOptions);
  cl::ParseCommandLineOptions(argc, argv,
                              "he-experiment-check: validate an experiment\n");

  ParseOptions options;
  options.checkPaths = !noPathCheck;
  ParseResult result = parseExperiment(inputFile, options);
  if (!result) {
    for (const Diagnostic &diagnostic : result.diagnostics)
      llvm::errs() << diagnostic.str() << "\n";
    llvm::errs() << result.diagnostics.size()
                 << (result.diagnostics.size() == 1 ? " error" : " errors")
                 << " in " << inputFile << "\n";
    return 1;
  }

  // The SourceMgr handler shows parse errors of a .mlir network with the
  // offending line; errors about the experiment itself carry its location.
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  UnlocatedDiagnosticPrinter unlocated(&context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      buildExperimentModel(*result.experiment, context);
  if (!module)
    return 1;

  if (emitIR)
    module->print(llvm::outs());
  else
    llvm::outs() << printExperiment(*result.experiment);
  return 0;
}
