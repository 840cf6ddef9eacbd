// Calibrated activation ranges: what a network's values span on its
// training images, recorded on the ops (`he.range` on every op's result,
// `he.input_range` on every he.poly_act's input) by `hec` or
// `hec calibrate`, and what they mean for CKKS: the first modulus must hold
// ceil(log2 max|x|) + 1 bits beyond the scale.
//
//   %y = he.poly_act %x coeffs [...] {he.range = {abs_p9999 = 3.1 : f64,
//        max = 4.0 : f64, min = 0.0 : f64}, he.input_range = {...}}
#ifndef HE_ANALYSIS_CALIBRATION_H
#define HE_ANALYSIS_CALIBRATION_H

#include "lib/Analysis/CkksParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace he {
inline constexpr llvm::StringLiteral kRangeAttr = "he.range";
inline constexpr llvm::StringLiteral kInputRangeAttr = "he.input_range";

/// The span of one value over the calibration images.
struct ValueRange {
  double min = 0, max = 0;
  double absP9999 = 0; ///< the 99.99th percentile of |x|
  double maxAbs() const;
};

mlir::DictionaryAttr rangeAttr(mlir::MLIRContext *context,
                               const ValueRange &range);
/// The range `op` holds under `name`; nullopt when it has none. Fails (after
/// an error at the op) when the attribute is not a dictionary of the three
/// finite f64s with min <= max.
mlir::FailureOr<std::optional<ValueRange>> readRange(mlir::Operation *op,
                                                     llvm::StringRef name);

/// Bits the first CKKS modulus must hold beyond the scale for values up to
/// `maxAbs`: ceil(log2 maxAbs) + 1 (the sign), at least 1.
int64_t integerBits(double maxAbs);

struct CalibratedOp {
  mlir::Operation *op;
  std::optional<ValueRange> input; ///< he.input_range (he.poly_act)
  ValueRange output;               ///< he.range
};

struct CalibrationSummary {
  std::vector<CalibratedOp> ops; ///< in program order
  double maxAbs = 0;             ///< over every recorded range
  mlir::Operation *maxAbsOp = nullptr;
  int64_t integerBits = 0;  ///< integerBits(maxAbs)
  int64_t headroomBits = 0; ///< firstModBits - scaleBits
  bool enough() const { return headroomBits >= integerBits; }
};

/// The calibration of `func`, or nullopt when no op carries a range. Fails
/// when a range attribute is malformed.
mlir::FailureOr<std::optional<CalibrationSummary>>
summarizeCalibration(mlir::func::FuncOp func, const CkksOptions &ckks);

llvm::json::Object rangeJson(const ValueRange &range);
void printCalibrationText(llvm::raw_ostream &os, const CalibrationSummary &c);
llvm::json::Value calibrationJson(const CalibrationSummary &c);
} // namespace he

#endif
