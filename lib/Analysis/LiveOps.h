// Which ops compute a function's results, as the ops declare it
// (LevelCostOpInterface::getLevelOperands): a he.blend at lambda 0 or 1
// computes only the side it selects, so an op on its other side computes
// nothing. The depth analysis (which non-polynomial ops matter) and the
// ONNX export (which ops become nodes) both ask this.
#ifndef HE_ANALYSIS_LIVEOPS_H
#define HE_ANALYSIS_LIVEOPS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace he {
/// The operands `op`'s results come from: those it declares
/// (LevelCostOpInterface), else all of them.
llvm::SmallVector<mlir::Value> levelOperands(mlir::Operation *op);

/// The ops whose results reach `roots` through levelOperands.
llvm::DenseSet<mlir::Operation *>
opsReaching(llvm::ArrayRef<mlir::Value> roots);
} // namespace he

#endif
