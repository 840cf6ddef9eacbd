#include "lib/Transforms/Transition.h"

#include "mlir/IR/Builders.h"

mlir::StringAttr he::suffixedName(mlir::StringAttr name,
                                  llvm::StringRef suffix) {
  if (!name)
    return {};
  return mlir::StringAttr::get(name.getContext(), name.getValue() + suffix);
}

bool he::isBlendSource(mlir::Value value) {
  return llvm::any_of(value.getUsers(), [&](mlir::Operation *user) {
    auto blend = llvm::dyn_cast<BlendOp>(user);
    return blend && blend.getFrom() == value;
  });
}

he::BlendOp he::startTransition(mlir::Operation *old, mlir::Value replacement,
                                llvm::StringRef oldSuffix) {
  mlir::OpBuilder builder(old->getContext());
  builder.setInsertionPointAfterValue(replacement);
  auto name = old->getAttrOfType<mlir::StringAttr>("name");
  mlir::Value oldValue = old->getResult(0);
  auto blend =
      builder.create<BlendOp>(old->getLoc(), oldValue.getType(), oldValue,
                              replacement, builder.getF64FloatAttr(0.0), name);
  oldValue.replaceAllUsesExcept(blend.getResult(), blend);
  if (name)
    old->setAttr("name", suffixedName(name, oldSuffix));
  return blend;
}
