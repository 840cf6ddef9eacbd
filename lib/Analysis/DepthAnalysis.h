// Multiplicative depth of a he network under CKKS: the number of rescales
// (levels) each op consumes, the level of every value, the total depth and
// the chain of ops that realises it.
#ifndef HE_ANALYSIS_DEPTHANALYSIS_H
#define HE_ANALYSIS_DEPTHANALYSIS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace he {
/// Levels consumed per op kind. A plaintext-ciphertext multiply and a
/// ciphertext-ciphertext multiply each cost one level by default (CKKS with a
/// rescale after every multiplication); additions and data movement are free.
struct CostModel {
  int64_t conv = 1;   ///< he.conv2d
  int64_t linear = 1; ///< he.linear
  int64_t pool = 1;   ///< the 1/k^2 of he.avg_pool2d, he.global_avg_pool2d
  int64_t bn = 1;     ///< the scale of he.batch_norm
  int64_t mul = 1;    ///< one ciphertext-ciphertext multiplication level
                      ///< of a polynomial (ceil(log2 degree) of them)
  int64_t scalar = 1; ///< a polynomial's non-unit leading coefficient
  int64_t add = 0;    ///< he.add
};

/// Levels of `poly_act` with `coeffs` (ascending powers): ceil(log2 k)
/// multiplication levels for degree k, plus one scalar level unless the
/// polynomial is monic. A trainable polynomial keeps its full degree even
/// while its leading coefficient is still 0: training will move it.
int64_t polyCost(llvm::ArrayRef<double> coeffs, bool trainable,
                 const CostModel &model);

/// True for ops whose result is not a polynomial of their inputs under any
/// finite depth: he.relu, he.max_pool2d, a he.blend strictly inside (0, 1).
bool isNonPolynomialOp(mlir::Operation *op);

/// Levels `op` consumes; nullopt for a non-polynomial op. Ops outside the he
/// dialect and structural ops cost 0.
std::optional<int64_t> opCost(mlir::Operation *op, const CostModel &model);

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
DepthResult analyzeDepth(mlir::func::FuncOp func, const CostModel &model);
} // namespace he

#endif
