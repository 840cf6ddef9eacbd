// The one place a network file (.mlir or .mlirbc: a model.name, a
// distillation teacher, a model hec emitted, a model to evaluate) is read.
// loadNetwork() refuses, naming the file and both sides of a mismatch:
//  - a path that is not a regular file (a directory, a FIFO: never opened);
//  - damaged bytecode (BytecodeGuard.h: the checksum sidecar, or a
//    contained parse), reported as "corrupt bytecode: FILE (...)";
//  - text or bytecode that does not parse or verify;
//  - a network without func.func @forward, or whose @forward does not take
//    the experiment's [?, C, H, W] images or return its [?, classes];
//  - when the use needs weights (evaluation, a teacher, starting weights),
//    a he.param without a value (the output of --emit-ir, say).
// Errors go to the context's diagnostic engine at `useLoc` (where the file
// is named: an experiment key, or UnknownLoc for the command line), and the
// function returns null. It never throws and never crashes on bad bytes.
#ifndef HE_FRONTEND_NETWORKLOADER_H
#define HE_FRONTEND_NETWORKLOADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include <array>
#include <optional>
#include <string>

namespace he::frontend {
struct Experiment;

/// What a network file is read for.
struct NetworkUse {
  /// Named in messages: "the model", "the teacher", "the starting weights".
  std::string role = "the network";
  /// [C, H, W] of the experiment's images.
  std::array<int64_t, 3> inputShape = {1, 28, 28};
  int64_t classes = 10;
  /// Every he.param must carry its value (a trained network).
  bool needsWeights = false;
};

/// Why `path` cannot be a network file ("no such file: P", "P is a
/// directory, not a network file"), or nullopt when it is a regular file.
/// Never opens it (a FIFO would block).
std::optional<std::string> networkFileProblem(llvm::StringRef path);

/// The use of the experiment's model (`role`, weights as `needsWeights`).
NetworkUse experimentUse(const Experiment &experiment, std::string role,
                         bool needsWeights);

/// Reads, verifies and checks `path` against `use` (see the file comment).
mlir::OwningOpRef<mlir::ModuleOp> loadNetwork(llvm::StringRef path,
                                              const NetworkUse &use,
                                              mlir::MLIRContext &context,
                                              mlir::Location useLoc);

/// Refuses a network whose he.params (trainable and buffers, used or not)
/// hold more than kMaxParameters values (ExperimentLimits.h); `name` names
/// it.
mlir::LogicalResult checkParameterCount(mlir::func::FuncOp forward,
                                        llvm::StringRef name,
                                        mlir::Location useLoc);

/// Checks an already parsed network against `use`; `path` names it.
mlir::LogicalResult checkNetwork(mlir::ModuleOp module, llvm::StringRef path,
                                 const NetworkUse &use, mlir::Location useLoc);

/// The experiment's networks beyond its model: a teacher file (read and
/// checked against the experiment, weights required), and for a model file
/// whether the methods have anything to replace (a network without he.relu
/// and he.max_pool2d is already polynomial: every method but the baseline
/// would train it unchanged). Errors located at the experiment's keys.
mlir::LogicalResult checkExperimentNetworks(const Experiment &experiment,
                                            mlir::ModuleOp network,
                                            mlir::MLIRContext &context);

/// The location of `key` in the experiment file (its file when unknown).
mlir::Location experimentLoc(const Experiment &experiment, llvm::StringRef key,
                             mlir::MLIRContext &context);

/// Prints the diagnostics that have no line to point at (UnknownLoc, or a
/// NameLoc naming a file) to stderr as "FILE: error: message" or "error:
/// message", with their notes; a SourceMgrDiagnosticHandler would print
/// them as "<unknown>:0:". Others go to the handlers registered before it.
class UnlocatedDiagnosticPrinter : public mlir::ScopedDiagnosticHandler {
public:
  explicit UnlocatedDiagnosticPrinter(mlir::MLIRContext *context);
};

/// "?x3x32x32": a shape as MLIR writes it in a tensor type.
std::string shapeText(llvm::ArrayRef<int64_t> shape);

} // namespace he::frontend

#endif // HE_FRONTEND_NETWORKLOADER_H
