// Builds an ONNX GraphProto from he values: names for SSA values, nodes,
// scalar Constant nodes and initializers. Internal to the ONNX export.
#ifndef HE_TARGET_ONNX_GRAPHBUILDER_H
#define HE_TARGET_ONNX_GRAPHBUILDER_H

#include "onnx/onnx_pb.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace he::onnx_export {
class GraphBuilder {
public:
  explicit GraphBuilder(onnx::GraphProto &graph) : graph_(graph) {}

  onnx::GraphProto &graph() { return graph_; }

  /// A tensor name not used yet, from `hint` ("conv1", "value").
  std::string fresh(llvm::StringRef hint);

  /// The tensor name `v` was bound to; empty when it has none.
  std::string nameOf(mlir::Value v) const;
  void bind(mlir::Value v, std::string name) { names_[v] = std::move(name); }

  /// Appends a node of `opType` with one output named from `hint`; returns it.
  onnx::NodeProto &addNode(llvm::StringRef opType,
                           llvm::ArrayRef<std::string> inputs,
                           llvm::StringRef hint);
  static const std::string &output(const onnx::NodeProto &node) {
    return node.output(0);
  }

  /// A `Constant` node holding the 0-d float `value`; returns its output.
  std::string scalar(double value);

  /// A float initializer named from `hint` holding `values` (row-major).
  std::string initializer(llvm::StringRef hint, llvm::ArrayRef<int64_t> shape,
                          llvm::ArrayRef<float> values);

private:
  onnx::GraphProto &graph_;
  llvm::DenseMap<mlir::Value, std::string> names_;
  llvm::StringSet<> used_;
};

void setIntAttr(onnx::NodeProto &node, llvm::StringRef name, int64_t value);
void setIntsAttr(onnx::NodeProto &node, llvm::StringRef name,
                 llvm::ArrayRef<int64_t> values);
} // namespace he::onnx_export

#endif
