// The model's metadata_props (docs/onnx.md): hec's version, the
// multiplicative depth, the CKKS parameters, class names and the input
// normalisation, as the contract with the HE tools fixes them.
#ifndef HE_TARGET_ONNX_METADATA_H
#define HE_TARGET_ONNX_METADATA_H

#include "lib/Analysis/DepthReportFormat.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/BuiltinOps.h"

namespace he::onnx_export {
/// `inputShape` is [C, H, W] (the input without its batch dimension),
/// `classes` the width of the logits. Fails (after an error at the module)
/// when a module attribute has the wrong form.
mlir::LogicalResult writeMetadata(onnx::ModelProto &model,
                                  mlir::ModuleOp module,
                                  const DepthReportData &report,
                                  llvm::ArrayRef<int64_t> inputShape,
                                  int64_t classes);
} // namespace he::onnx_export

#endif
