// The facts about he ops that the analyses read, declared on the ops
// (HeInterfaces.td): the levels an op costs under CKKS and whether it is a
// polynomial.
#ifndef HE_DIALECT_HEINTERFACES_H
#define HE_DIALECT_HEINTERFACES_H

#include "mlir/IR/OpDefinition.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace he {
/// Levels consumed per op kind. A plaintext-ciphertext multiply and a
/// ciphertext-ciphertext multiply each cost one level by default (CKKS with a
/// rescale after every multiplication); additions and data movement are free.
struct CostModel {
  int64_t conv = 1;   ///< he.conv2d
  int64_t linear = 1; ///< he.linear
  int64_t pool = 1;   ///< the 1/k^2 of he.avg_pool2d, he.global_avg_pool2d
  int64_t bn = 1;     ///< the scale of he.batch_norm
  int64_t mul = 1;    ///< one ciphertext-ciphertext multiplication level
                      ///< of a polynomial (ceil(log2 degree) of them)
  int64_t scalar = 1; ///< a polynomial's non-unit leading coefficient
  int64_t add = 0;    ///< he.add
};

/// Levels of `poly_act` with `coeffs` (ascending powers): ceil(log2 k)
/// multiplication levels for degree k, plus one scalar level unless the
/// polynomial is monic. A trainable polynomial keeps its full degree even
/// while its leading coefficient is still 0: training will move it.
int64_t polyCost(llvm::ArrayRef<double> coeffs, bool trainable,
                 const CostModel &model);
} // namespace he

#include "dialect/HeInterfaces.h.inc"

namespace he {
/// True when `op` declares (PolynomialOpInterface) that its result is a
/// polynomial of its operands; false for he.relu, he.max_pool2d, a he.blend
/// strictly inside its transition, and for an op that declares nothing.
bool isPolynomialOp(mlir::Operation *op);
} // namespace he

#endif // HE_DIALECT_HEINTERFACES_H
