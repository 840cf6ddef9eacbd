#include "tools/hec/EmitModel.h"

#include "lib/Frontend/BytecodeGuard.h"
#include "lib/Frontend/DiagnosticCollector.h"
#include "lib/Transforms/Pipelines.h"
#include "tools/hec/Calibrate.h"
#include "tools/hec/ModelInfo.h"
#include "tools/hec/OnnxOutput.h"
#include "tools/hec/Results.h"
#include "tools/hec/RunFailure.h"
#include "tools/hec/TrainOptions.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace he;
using namespace hec;

void hec::runPasses(mlir::ModuleOp module, llvm::StringRef funcPipeline,
                    bool polynomialPipeline) {
  mlir::PassManager pm(module.getContext());
  std::string errors;
  llvm::raw_string_ostream es(errors);
  if (!funcPipeline.empty() &&
      failed(mlir::parsePassPipeline(("func.func(" + funcPipeline + ")").str(),
                                     pm, es)))
    throw RunFailure("cannot build the pass pipeline: " + es.str());
  if (polynomialPipeline && failed(buildPolynomialPipeline(pm, es)))
    throw RunFailure("cannot build the polynomial pipeline: " + es.str());
  frontend::DiagnosticCollector diagnostics(module.getContext());
  if (failed(pm.run(module)))
    throw RunFailure(diagnostics.message("a pass failed"));
}

mlir::func::FuncOp hec::forwardOf(mlir::ModuleOp module) {
  auto func = module.lookupSymbol<mlir::func::FuncOp>("forward");
  if (!func)
    throw RunFailure("the network has no func.func @forward");
  return func;
}

void hec::writeModule(mlir::ModuleOp module, const std::string &folder) {
  std::string bc;
  llvm::raw_string_ostream bcs(bc);
  if (failed(mlir::writeBytecodeToFile(module, bcs)))
    throw RunFailure("cannot encode the model as bytecode");
  std::string text;
  llvm::raw_string_ostream ts(text);
  module.print(ts);
  // The checksum first: a model.mlirbc is never newer than its sidecar's
  // digest, so a crash between the two leaves a mismatch, never a pass.
  std::string model = folder + "/model.mlirbc";
  if (auto err =
          writeFileAtomically(frontend::checksumPath(model),
                              frontend::checksumRecord(bcs.str(), model)))
    throw RunFailure(llvm::toString(std::move(err)));
  if (auto err = writeFileAtomically(model, bcs.str()))
    throw RunFailure(llvm::toString(std::move(err)));
  if (auto err = writeFileAtomically(folder + "/model.mlir", ts.str()))
    throw RunFailure(llvm::toString(std::move(err)));
}

CkksOptions hec::ckksOptionsOf(const frontend::Experiment &exp) {
  CkksOptions c;
  c.securityBits = exp.he.security;
  c.scaleBits = exp.he.scaleBits;
  c.firstModBits = exp.he.firstModBits;
  c.specialPrimeBits = exp.he.specialPrimeBits;
  return c;
}

EmittedModel hec::emitModel(mlir::ModuleOp module, bool polynomial,
                            const frontend::Experiment &exp, const Splits &data,
                            torch::Device device, const std::string &folder) {
  runPasses(module, "", polynomial);
  mlir::func::FuncOp func = forwardOf(module);
  calibrateNetwork(func, data.train, device, evalBatchSize(exp));
  CkksOptions ckks = ckksOptionsOf(exp);
  DepthReportData report = buildDepthReport(func, CostModel{}, ckks);
  std::string depthJson;
  llvm::raw_string_ostream ds(depthJson);
  ds << llvm::formatv("{0:2}", depthReportJson(report)) << "\n";
  if (auto err = writeFileAtomically(folder + "/depth.json", ds.str()))
    throw RunFailure(llvm::toString(std::move(err)));
  annotateModel(module, data.train);
  writeModule(module, folder);
  EmittedModel out;
  out.depth = report.depth.totalDepth;
  if (auto err = writeOnnxModel(module, folder, ckks))
    out.onnxNote = llvm::toString(std::move(err));
  return out;
}
