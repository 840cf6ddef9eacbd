// Exact per-channel rescaling of the weights of he.conv2d and he.linear, and
// the parameter checks it needs. Shared by he-absorb-scalars and
// he-fold-batchnorm, which both move a per-channel factor into a linear op.
#ifndef HE_TRANSFORMS_ABSORBSCALARS_CHANNELSCALING_H
#define HE_TRANSFORMS_ABSORBSCALARS_CHANNELSCALING_H

#include "dialect/HeOps.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace he {
/// The most elements a weight rewritten here may have (2^28, 1 GiB of f32;
/// the largest layer of VGG-16 has 1.0e8): a splat of 2^40 elements would
/// otherwise be expanded until memory runs out.
constexpr int64_t kMaxRewrittenElements = int64_t(1) << 28;

/// The he.param defining `value` when this is its only use, else null: a
/// shared parameter cannot be rewritten for one of its users.
ParamOp exclusiveParam(mlir::Value value);

/// Whether `param` carries a value that readParamValue can read.
bool hasParamValue(ParamOp param);

/// The value of `param` when it is a splat: big uniform weights (tests,
/// untrained networks) are then rewritten without expanding them.
std::optional<float> splatValue(ParamOp param);

/// Success when the weight (and bias, if any) of the conv2d or linear `op`
/// can be rewritten, else why not (cannotRewrite).
llvm::Error checkRewritableWeights(mlir::Operation *op);

/// Multiplies by `factor[c]` every weight of the conv2d or linear `op` that
/// reads its input channel (conv) or feature (linear) `c`.
void scaleInputChannels(mlir::Operation *op, llvm::ArrayRef<double> factor);

/// Multiplies row `o` of `weight` (output channel `o` of a conv2d or
/// linear) by `factor[o]`.
void scaleOutputChannels(ParamOp weight, llvm::ArrayRef<double> factor);

/// The name for a new bias of `op`: its weight's name with ".bias" in place
/// of ".weight".
std::string biasNameFor(ParamOp weight);
} // namespace he

#endif
