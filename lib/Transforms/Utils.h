// Small IR helpers shared by the he passes.
#ifndef HE_TRANSFORMS_UTILS_H
#define HE_TRANSFORMS_UTILS_H

#include "mlir/IR/Value.h"

namespace he {
/// Erases the side-effect-free op producing `value`, and recursively its
/// producers, as long as they have no other users.
void eraseDeadProducers(mlir::Value value);
} // namespace he

#endif
