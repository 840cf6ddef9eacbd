// Small IR helpers shared by the he passes.
#ifndef HE_TRANSFORMS_UTILS_H
#define HE_TRANSFORMS_UTILS_H

#include "mlir/IR/Value.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

namespace he {
/// Why a rewrite cannot be done. Checks whose reason travels (combined with
/// another, or dropped when the rewrite is optional) return one; the pass
/// that must fail turns it into a diagnostic on the op with
/// llvm::toString, the one translation between the two.
llvm::Error cannotRewrite(const llvm::Twine &why);

/// Erases the side-effect-free op producing `value`, and recursively its
/// producers, as long as they have no other users.
void eraseDeadProducers(mlir::Value value);
} // namespace he

#endif
