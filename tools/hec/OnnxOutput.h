// model.onnx beside model.mlirbc: the run's polynomial network exported for
// HE runtimes (lib/Target/ONNX), written atomically like the run's other
// files.
#ifndef HEC_ONNXOUTPUT_H
#define HEC_ONNXOUTPUT_H

#include "lib/Analysis/CkksParams.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace hec {
/// Writes `folder`/model.onnx from `module` when its network is polynomial
/// (every method's but the ReLU baseline's); a network with a ReLU or a
/// max-pool gets none, and no error. When the export refuses a polynomial
/// network, nothing is written and the error holds its diagnostics.
llvm::Error writeOnnxModel(mlir::ModuleOp module, const std::string &folder,
                           const he::CkksOptions &ckks);
} // namespace hec

#endif
