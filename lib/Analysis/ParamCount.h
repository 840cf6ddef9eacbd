// How many scalars a he network trains, and how many it only carries.
#ifndef HE_ANALYSIS_PARAMCOUNT_H
#define HE_ANALYSIS_PARAMCOUNT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <vector>

namespace he {
struct ParamCount {
  /// Elements of every used he.param that is not a `buffer`, plus the
  /// coefficients of every `trainable` he.poly_act.
  int64_t trainable = 0;
  /// Elements of the used `buffer` params (batch-norm running statistics).
  int64_t buffers = 0;
  /// Params whose shape is not static: they are left out of the counts.
  std::vector<mlir::Operation *> unsized;
  /// The first param that made a count exceed int64 (the counts then stop
  /// at INT64_MAX), else null.
  mlir::Operation *overflow = nullptr;
};

/// Counts the parameters of `func`. A param name used by several he.param
/// ops (shared weights) counts once; a param without users does not count.
ParamCount countParameters(mlir::func::FuncOp func);
} // namespace he

#endif
