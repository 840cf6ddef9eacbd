#include "lib/Analysis/LiveOps.h"

#include "dialect/HeOps.h"

using namespace mlir;

namespace he {
SmallVector<Value> levelOperands(Operation *op) {
  if (auto facts = dyn_cast<LevelCostOpInterface>(op))
    return facts.getLevelOperands();
  return llvm::to_vector(op->getOperands());
}

llvm::DenseSet<Operation *> opsReaching(ArrayRef<Value> roots) {
  llvm::DenseSet<Operation *> live;
  SmallVector<Value> work(roots);
  while (!work.empty()) {
    Operation *op = work.pop_back_val().getDefiningOp();
    if (!op || !live.insert(op).second)
      continue;
    llvm::append_range(work, levelOperands(op));
  }
  return live;
}
} // namespace he
