// Reading and writing the values of he.param ops as flat f32 vectors
// (row-major). Large values are stored as dense_resource blobs so that
// bytecode keeps them compact; uniform ones as splats.
#ifndef HE_DIALECT_PARAMVALUES_H
#define HE_DIALECT_PARAMVALUES_H

#include "dialect/HeOps.h"

#include <optional>
#include <string>
#include <vector>

namespace he {
/// The value of `param` as floats, or nullopt when it has none.
std::optional<std::vector<float>> readParamValue(ParamOp param);

/// Stores `values` (one per element of the param's type) in `param`.
void writeParamValue(ParamOp param, llvm::ArrayRef<float> values);

/// An ElementsAttr of `type` holding `values`: a splat when all are equal,
/// a dense_resource blob named resourceKeyFor(key) otherwise.
mlir::ElementsAttr makeParamValue(mlir::RankedTensorType type,
                                  llvm::ArrayRef<float> values,
                                  llvm::StringRef key);

/// A blob key for a param named `name` that reads back from text: every
/// byte outside [A-Za-z0-9_.] becomes '_', and one that does not start with
/// a letter or '_' gets a '_' in front ("conv1 w\xc3\xa9ight" ->
/// "conv1_w__ight", "0.weight" -> "_0.weight").
std::string resourceKeyFor(llvm::StringRef name);
} // namespace he

#endif
