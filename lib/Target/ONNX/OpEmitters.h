// One ONNX emitter per he op: each appends the op's nodes to the graph and
// binds its result, or refuses with a located error naming the op.
#ifndef HE_TARGET_ONNX_OPEMITTERS_H
#define HE_TARGET_ONNX_OPEMITTERS_H

#include "lib/Target/ONNX/GraphBuilder.h"

#include "dialect/HeOps.h"

namespace he::onnx_export {
/// Emits `op`, whose operands are already bound. Fails (after emitting an
/// error at the op) when the op has no HE-friendly ONNX form.
mlir::LogicalResult emitOp(mlir::Operation *op, GraphBuilder &g);

/// `he.poly_act` as Mul/Add/Pow of scalar Constants (PolyEmitter.cpp).
mlir::LogicalResult emitPolyAct(PolyActOp op, GraphBuilder &g);

/// The pools as AveragePool, a sum pool followed by a Mul (PoolEmitters.cpp).
mlir::LogicalResult emitAvgPool(AvgPool2dOp op, GraphBuilder &g);
mlir::LogicalResult emitGlobalAvgPool(GlobalAvgPool2dOp op, GraphBuilder &g);

/// The shape of `v`'s type, or nullopt (after an error at `op`) unless every
/// dimension is static; with `dynamicBatch` the first one may be dynamic
/// (and is then -1).
std::optional<llvm::SmallVector<int64_t>>
staticShape(mlir::Operation *op, mlir::Value v, llvm::StringRef what,
            bool dynamicBatch = false);
} // namespace he::onnx_export

#endif
