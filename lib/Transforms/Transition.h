// Helpers for passes that start a smooth transition (he.blend from an old,
// non-polynomial op to its polynomial replacement).
#ifndef HE_TRANSFORMS_TRANSITION_H
#define HE_TRANSFORMS_TRANSITION_H

#include "dialect/HeOps.h"

namespace he {
/// `name` followed by `suffix`; null when `name` is null, since a suffix
/// alone would point at no layer.
mlir::StringAttr suffixedName(mlir::StringAttr name, llvm::StringRef suffix);

/// Whether `value` already is the `from` side of an he.blend, i.e. its
/// transition has started.
bool isBlendSource(mlir::Value value);

/// Inserts `he.blend %old, %replacement lambda 0.0` and sends every other
/// user of `old`'s result to it. The blend takes `old`'s layer name; `old`
/// is renamed to that name followed by `oldSuffix`. `replacement` must be
/// defined after `old`.
BlendOp startTransition(mlir::Operation *old, mlir::Value replacement,
                        llvm::StringRef oldSuffix);
} // namespace he

#endif
