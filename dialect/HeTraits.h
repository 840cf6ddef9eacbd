// Traits every he op carries (HeDialect.td's He_Op).
#ifndef HE_DIALECT_HETRAITS_H
#define HE_DIALECT_HETRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace he {
/// Fails, naming the value, when a ranked tensor operand or result of `op`
/// has more elements than int64 can count (dynamic dimensions count as 1).
mlir::LogicalResult verifyCountableShapes(mlir::Operation *op);

/// The element count of `shape` (dynamic dimensions as 1), or nullopt when
/// it does not fit in int64.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

template <typename ConcreteType>
class CountableShapes
    : public mlir::OpTrait::TraitBase<ConcreteType, CountableShapes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyCountableShapes(op);
  }
};
} // namespace he

#endif // HE_DIALECT_HETRAITS_H
