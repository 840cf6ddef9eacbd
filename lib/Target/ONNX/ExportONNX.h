// The ONNX export of a polynomial he network (`he-translate --he-to-onnx`):
// the subset of ONNX that HE runtimes read, with hec's metadata. The ONNX
// protobuf classes stay inside this library; callers see only MLIR types.
#ifndef HE_TARGET_ONNX_EXPORTONNX_H
#define HE_TARGET_ONNX_EXPORTONNX_H

#include "lib/Analysis/CkksParams.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace he {
/// The ONNX opset the export targets (docs/onnx.md).
constexpr int64_t kOnnxOpset = 13;
/// The ONNX IR version that goes with opset 13.
constexpr int64_t kOnnxIrVersion = 7;

struct OnnxExportOptions {
  /// CKKS parameters for the `hec.ckks` metadata (the experiment's [he]).
  CkksOptions ckks;
};

/// Writes `module` (one func of he ops, polynomial only) to `os` as an ONNX
/// model. On refusal it emits a located error naming the op and writes
/// nothing.
mlir::LogicalResult exportToOnnx(mlir::ModuleOp module, llvm::raw_ostream &os,
                                 const OnnxExportOptions &options = {});

/// Registers the `--he-to-onnx` translation with mlir-translate's registry.
void registerHeToOnnxTranslation();
} // namespace he

#endif
