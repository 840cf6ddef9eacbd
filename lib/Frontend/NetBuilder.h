// A small helper that the zoo's builders use to emit a network layer by
// layer into `func.func @forward`: it creates the he.param ops with PyTorch
// state-dict keys, computes every result shape as PyTorch would, and turns a
// feature map that collapses (images too small for the network) into one
// located error instead of an op the verifier would reject.
#ifndef HE_FRONTEND_NETBUILDER_H
#define HE_FRONTEND_NETBUILDER_H

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace he::frontend {

class NetBuilder {
public:
  /// Starts `func.func @forward(%x: tensor<?xCxHxWxf32>)` for images of
  /// `inputShape` = [C, H, W]; `model` names the network in errors.
  NetBuilder(mlir::MLIRContext &context, mlir::Location loc,
             llvm::StringRef model, llvm::ArrayRef<int64_t> inputShape);

  /// The image batch, [N, C, H, W].
  mlir::Value input() const { return inputValue; }

  /// Conv2d with bias; `key` is the state-dict prefix ("features.0"),
  /// `name` the layer name ("conv1").
  mlir::Value conv(mlir::Value x, llvm::StringRef key, llvm::StringRef name,
                   int64_t outChannels, int64_t kernel, int64_t stride = 1,
                   int64_t padding = 0);
  mlir::Value linear(mlir::Value x, llvm::StringRef key, llvm::StringRef name,
                     int64_t outFeatures);
  /// BatchNorm with PyTorch's epsilon 1e-5 and momentum 0.1.
  mlir::Value batchNorm(mlir::Value x, llvm::StringRef key,
                        llvm::StringRef name);
  mlir::Value relu(mlir::Value x, llvm::StringRef name);
  mlir::Value maxPool(mlir::Value x, llvm::StringRef name, int64_t kernel,
                      int64_t stride, bool ceilMode = false);
  mlir::Value globalAvgPool(mlir::Value x, llvm::StringRef name);
  mlir::Value dropout(mlir::Value x, llvm::StringRef name, double p);
  mlir::Value flatten(mlir::Value x, llvm::StringRef name);
  mlir::Value concat(mlir::ValueRange xs, llvm::StringRef name);

  /// Returns `result` from @forward and hands over the module, or null if a
  /// layer failed (the error is already emitted).
  mlir::OwningOpRef<mlir::ModuleOp> finish(mlir::Value result);

private:
  mlir::RankedTensorType tensor(llvm::ArrayRef<int64_t> shape);
  mlir::Value param(llvm::StringRef key, llvm::ArrayRef<int64_t> shape,
                    bool buffer = false);
  static llvm::ArrayRef<int64_t> shapeOf(mlir::Value v);
  /// The output size of a window along one dimension (PyTorch's rule), or
  /// reports the collapse of the map at layer `name` and returns 0.
  int64_t window(int64_t in, int64_t kernel, int64_t stride, int64_t padding,
                 bool ceilMode, llvm::StringRef name);

  mlir::OpBuilder builder;
  mlir::Location loc;
  std::string model;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp forward;
  mlir::Value inputValue;
  bool failed = false;
};

} // namespace he::frontend

#endif // HE_FRONTEND_NETBUILDER_H
