#include "lib/Transforms/Utils.h"

#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SmallVector.h"

void he::eraseDeadProducers(mlir::Value value) {
  llvm::SmallVector<mlir::Value> work = {value};
  while (!work.empty()) {
    mlir::Operation *op = work.pop_back_val().getDefiningOp();
    if (!op || !op->use_empty() || !mlir::isPure(op))
      continue;
    for (mlir::Value operand : op->getOperands())
      work.push_back(operand);
    op->erase();
  }
}

llvm::Error he::cannotRewrite(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}
