#include "lib/Transforms/DepthReport/DepthReport.h"

#include "lib/Analysis/DepthReportFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/FormatVariadic.h"

namespace he {
#define GEN_PASS_DEF_DEPTHREPORT
#include "lib/Transforms/DepthReport/DepthReport.h.inc"

namespace {
// The largest cost (levels of one op) and prime size (bits) accepted: far
// beyond any CKKS setting (a network without bootstrapping has some 30
// levels of 20-60 bits), and small enough that depth sums over any real
// network stay far from int64's limit. log_q is computed with checked
// arithmetic regardless (chooseCkksParams).
constexpr int64_t kMaxOptionValue = 1024;

struct DepthReport : impl::DepthReportBase<DepthReport> {
  using DepthReportBase::DepthReportBase;

  void runOnOperation() override {
    if (mlir::failed(checkOptions())) {
      signalPassFailure();
      return;
    }
    CostModel model;
    model.conv = convCost;
    model.linear = linearCost;
    model.pool = poolCost;
    model.bn = bnCost;
    model.mul = mulCost;
    model.scalar = scalarCost;
    model.add = addCost;
    CkksOptions ckks;
    ckks.securityBits = security;
    ckks.scaleBits = scaleBits;
    ckks.firstModBits = firstModBits;
    ckks.specialPrimeBits = specialPrimeBits;

    // Reports go out in the module's order; the IR stays as it is.
    for (auto func : getOperation().getOps<mlir::func::FuncOp>()) {
      if (func.isExternal())
        continue;
      mlir::FailureOr<DepthReportData> report =
          analyzeDepthReport(func, model, ckks);
      if (mlir::failed(report) || report->calibrationInvalid) {
        signalPassFailure();
        return;
      }
      for (mlir::Operation *op : report->params.unsized)
        op->emitWarning() << "has no static shape: left out of the "
                             "parameter count";
      if (mlir::Operation *op = report->params.overflow) {
        op->emitError() << "makes the parameter count exceed int64";
        signalPassFailure();
        return;
      }
      if (format == "json")
        llvm::outs() << llvm::formatv("{0:2}", depthReportJson(*report))
                     << "\n";
      else
        printDepthReportText(llvm::outs(), *report);
    }
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }

  mlir::LogicalResult checkOptions() {
    auto fail = [&](const llvm::Twine &message) {
      getOperation().emitError() << "depth-report: " << message;
      return mlir::failure();
    };
    if (format != "text" && format != "json")
      return fail("'format' must be text or json, got '" + format + "'");
    if (!isSupportedSecurity(security))
      return fail("'security' must be 128, 192 or 256 (bits), got " +
                  llvm::Twine(security));
    struct Named {
      const char *name;
      int64_t value;
    };
    for (Named option :
         {Named{"scale-bits", scaleBits}, Named{"first-mod-bits", firstModBits},
          Named{"special-prime-bits", specialPrimeBits}})
      if (option.value < 1 || option.value > kMaxOptionValue)
        return fail(llvm::Twine("'") + option.name + "' must be in [1, " +
                    llvm::Twine(kMaxOptionValue) + "] bits, got " +
                    llvm::Twine(option.value));
    for (Named option :
         {Named{"conv-cost", convCost}, Named{"linear-cost", linearCost},
          Named{"pool-cost", poolCost}, Named{"bn-cost", bnCost},
          Named{"mul-cost", mulCost}, Named{"scalar-cost", scalarCost},
          Named{"add-cost", addCost}})
      if (option.value < 0 || option.value > kMaxOptionValue)
        return fail(llvm::Twine("'") + option.name + "' must be in [0, " +
                    llvm::Twine(kMaxOptionValue) + "] levels, got " +
                    llvm::Twine(option.value));
    return mlir::success();
  }
};
} // namespace
} // namespace he
