#include "tools/hec/Calibrate.h"
#include "tools/hec/TrainOptions.h"

#include "dialect/HeOps.h"
#include "lib/Analysis/Calibration.h"
#include "lib/Frontend/NetworkLoader.h"
#include "runtime/Calibrate.h"
#include "runtime/Error.h"
#include "runtime/HeModule.h"
#include "runtime/Trainer.h"
#include "tools/hec/ExperimentData.h"
#include "tools/hec/Results.h"
#include "tools/hec/Sweep.h"

#include "mlir/Bytecode/BytecodeWriter.h"

#include <fmt/format.h>

void hec::calibrateNetwork(mlir::func::FuncOp func,
                           const he::runtime::Dataset &data,
                           torch::Device device, int64_t batchSize) {
  std::vector<mlir::Operation *> ops;
  for (mlir::Operation &op : func.getBody().front())
    if (llvm::isa<he::HeDialect>(op.getDialect()) &&
        !llvm::isa<he::ParamOp>(op))
      ops.push_back(&op);
  he::runtime::HeModule net(func);
  net.to(device);
  if (ops.size() != net.observedStepCount())
    throw he::runtime::Error(fmt::format(
        "cannot calibrate @{}: {} ops but {} executed steps (fused blends); "
        "calibrate the network after the polynomial pipeline",
        func.getSymName().str(), ops.size(), net.observedStepCount()));
  he::runtime::ObservedRanges ranges =
      he::runtime::observeRanges(net, data, batchSize, device);
  auto toRange = [](const he::runtime::ObservedRange &r) {
    return he::ValueRange{r.min, r.max, r.absP9999};
  };
  llvm::DenseMap<mlir::Value, he::ValueRange> byValue;
  byValue[func.getArgument(0)] = toRange(ranges.input);
  mlir::MLIRContext *context = func.getContext();
  for (auto [op, observed] : llvm::zip(ops, ranges.steps)) {
    he::ValueRange range = toRange(observed);
    op->setAttr(he::kRangeAttr, he::rangeAttr(context, range));
    byValue[op->getResult(0)] = range;
  }
  for (mlir::Operation *op : ops)
    if (auto poly = llvm::dyn_cast<he::PolyActOp>(op)) {
      auto it = byValue.find(poly.getInput());
      if (it != byValue.end())
        op->setAttr(he::kInputRangeAttr, he::rangeAttr(context, it->second));
    }
}

int hec::calibrateCommand(const he::frontend::Experiment &exp,
                          const std::string &model, const std::string &out,
                          mlir::MLIRContext &context) {
  // The loader `hec eval` uses: a directory, a FIFO, damaged bytecode, a
  // declaration, other images or classes, missing weights are refused
  // before any data is read (it once parsed bytecode unguarded).
  mlir::OwningOpRef<mlir::ModuleOp> module = he::frontend::loadNetwork(
      model, he::frontend::experimentUse(exp, "the model", true), context,
      mlir::UnknownLoc::get(&context));
  if (!module)
    return 1;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("forward");
  hec::Splits data = hec::loadExperimentData(exp);
  he::runtime::useThreads(int(exp.training.threads));
  calibrateNetwork(func, data.train, hec::chooseDevice(exp.training.device),
                   hec::evalBatchSize(exp));
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  if (llvm::StringRef(out).ends_with(".mlirbc")) {
    if (mlir::failed(mlir::writeBytecodeToFile(*module, os))) {
      fmt::print(stderr, "hec: error: cannot encode {} as bytecode\n", out);
      return 1;
    }
  } else {
    module->print(os);
  }
  if (auto err = hec::writeFileAtomically(out, os.str())) {
    fmt::print(stderr, "hec: error: {}\n", llvm::toString(std::move(err)));
    return 1;
  }
  fmt::print("calibrated {} over {} training images: {}\n", model,
             data.train.size(), out);
  return 0;
}
