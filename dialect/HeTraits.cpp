#include "dialect/HeTraits.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

std::optional<int64_t> he::checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    if (d < 0 || llvm::MulOverflow(count, d, count))
      return std::nullopt;
  }
  return count;
}

LogicalResult he::verifyCountableShapes(Operation *op) {
  auto check = [&](Type type, const char *what, size_t index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || checkedElementCount(tensor.getShape()))
      return success();
    return op->emitOpError() << what << " #" << index << " of type " << type
                             << " has more elements than int64 can count";
  };
  for (auto [i, v] : llvm::enumerate(op->getOperands()))
    if (failed(check(v.getType(), "operand", i)))
      return failure();
  for (auto [i, v] : llvm::enumerate(op->getResults()))
    if (failed(check(v.getType(), "result", i)))
      return failure();
  return success();
}
