// The model zoo: builders that emit he IR for the networks of the paper, and
// the loader for networks written as .mlir. Every network is a
// `func.func @forward(%x: tensor<?xCxHxWxf32>) -> tensor<?xKxf32>` in a
// module, its he.param ops without values (the runtime initialises them as
// PyTorch would) and named by PyTorch state-dict keys, and every layer op
// carries a `name` ("conv1", "fire2.squeeze", "conv1.act").
//
// Errors (unknown names, images too small for a network, a .mlir network
// whose shapes disagree with the data) are emitted through the context's
// diagnostic engine at the given location, and the functions return null.
#ifndef HE_FRONTEND_ZOO_H
#define HE_FRONTEND_ZOO_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <array>

namespace he::frontend {
struct Experiment;

struct ZooModel {
  llvm::StringRef name;
  /// The [C, H, W] the network was designed for; other sizes work as long
  /// as no feature map collapses (the first linear layer follows the size).
  std::array<int64_t, 3> inputShape;
  llvm::StringRef summary;
};

/// alexnet, alexnet_small, alexnet_cifar, squeezenet1_0, squeezenet_cifar.
llvm::ArrayRef<ZooModel> zooModels();
const ZooModel *lookupZooModel(llvm::StringRef name);

/// Builds zoo network `name` for `classes` outputs and [C, H, W] images.
mlir::OwningOpRef<mlir::ModuleOp> buildModel(llvm::StringRef name,
                                             int64_t classes,
                                             llvm::ArrayRef<int64_t> inputShape,
                                             mlir::MLIRContext &context,
                                             mlir::Location loc);
mlir::OwningOpRef<mlir::ModuleOp> buildModel(llvm::StringRef name,
                                             int64_t classes,
                                             llvm::ArrayRef<int64_t> inputShape,
                                             mlir::MLIRContext &context);

/// Parses the network in `path` (.mlir or bytecode; parse errors carry
/// their location in that file), verifies it and checks that @forward takes
/// [?, C, H, W] = inputShape and returns [?, classes]. `loc` is where the
/// experiment names the file.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(llvm::StringRef path, llvm::ArrayRef<int64_t> inputShape,
          int64_t classes, mlir::MLIRContext &context, mlir::Location loc);

/// The experiment's network: built from the zoo or loaded from its file,
/// with errors located at the experiment's model.name.
mlir::OwningOpRef<mlir::ModuleOp>
buildExperimentModel(const Experiment &experiment, mlir::MLIRContext &context);

} // namespace he::frontend

#endif // HE_FRONTEND_ZOO_H
