// The depth report of one network as text or JSON: what `--depth-report`
// prints, reusable by drivers that write it to a file.
#ifndef HE_ANALYSIS_DEPTHREPORTFORMAT_H
#define HE_ANALYSIS_DEPTHREPORTFORMAT_H

#include "lib/Analysis/Calibration.h"
#include "lib/Analysis/CkksParams.h"
#include "lib/Analysis/DepthAnalysis.h"
#include "lib/Analysis/ParamCount.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace he {
struct DepthReportData {
  std::string function;
  CostModel model;
  DepthResult depth;
  ParamCount params;
  CkksOptions ckksOptions;
  /// nullopt when the depth is unknown.
  std::optional<CkksParams> ckks;
  /// The calibrated ranges (lib/Analysis/Calibration.h); nullopt when the
  /// network has none.
  std::optional<CalibrationSummary> calibration;
  /// True when a range attribute is malformed (an error was emitted at it).
  bool calibrationInvalid = false;
};

/// Analyses `func`: depth, parameter counts and CKKS parameters.
/// `ckks.securityBits` must satisfy isSupportedSecurity. Fails, after an
/// error on each, when an op declares no cost (analyzeDepth).
mlir::FailureOr<DepthReportData> analyzeDepthReport(mlir::func::FuncOp func,
                                                    const CostModel &model,
                                                    const CkksOptions &ckks);

/// analyzeDepthReport of a func the runtime has executed: its ops are all he
/// ops, which all declare their costs, so a failure is a bug in hec and
/// aborts with the op's diagnostic.
DepthReportData buildDepthReport(mlir::func::FuncOp func,
                                 const CostModel &model,
                                 const CkksOptions &ckks);

/// "file:line:col" for a file location, else the name or the first known
/// part of the location; "unknown" when there is none.
std::string locationString(mlir::Location loc);

void printDepthReportText(llvm::raw_ostream &os, const DepthReportData &r);
llvm::json::Value depthReportJson(const DepthReportData &r);
} // namespace he

#endif
