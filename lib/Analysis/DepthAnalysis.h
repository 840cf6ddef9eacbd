// Multiplicative depth of a he network under CKKS: the number of rescales
// (levels) each op consumes, the level of every value, the total depth and
// the chain of ops that realises it. What each op costs and whether it is a
// polynomial are declared on the ops (dialect/HeInterfaces.td).
#ifndef HE_ANALYSIS_DEPTHANALYSIS_H
#define HE_ANALYSIS_DEPTHANALYSIS_H

#include "dialect/HeInterfaces.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace he {
/// The depth of one op. Levels are nullopt ("infinite") downstream of a
/// non-polynomial op.
struct OpDepth {
  mlir::Operation *op;
  std::optional<int64_t> inLevel;
  std::optional<int64_t> cost;
  std::optional<int64_t> outLevel;
};

struct DepthResult {
  /// Every he op of the function but he.param, in program order.
  std::vector<OpDepth> ops;
  /// Max level over the returned values; nullopt when a non-polynomial op
  /// reaches them.
  std::optional<int64_t> totalDepth;
  /// The chain of ops from an input to the deepest returned value (empty
  /// when totalDepth is nullopt).
  std::vector<mlir::Operation *> criticalPath;
  /// Non-polynomial ops that reach a returned value (a blend only reaches
  /// through the side its lambda selects), in program order.
  std::vector<mlir::Operation *> nonPolynomial;
};

/// Levels of `func`: its arguments and every he.param start at level 0.
/// Fails, after an error on each, when an op that produces a value declares
/// neither a cost (LevelCostOpInterface) nor that it is not a polynomial
/// (PolynomialOpInterface): an op of another dialect, say. Such an op has no
/// known depth, and a silent 0 could hide a multiplication.
mlir::FailureOr<DepthResult> analyzeDepth(mlir::func::FuncOp func,
                                          const CostModel &model);
} // namespace he

#endif
