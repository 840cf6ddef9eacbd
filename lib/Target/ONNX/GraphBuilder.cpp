#include "lib/Target/ONNX/GraphBuilder.h"

#include <string>

namespace he::onnx_export {
std::string GraphBuilder::fresh(llvm::StringRef hint) {
  std::string base = hint.empty() ? std::string("value") : hint.str();
  std::string name = base;
  for (int i = 1; used_.contains(name); ++i)
    name = base + "_" + std::to_string(i);
  used_.insert(name);
  return name;
}

std::string GraphBuilder::nameOf(mlir::Value v) const {
  auto it = names_.find(v);
  return it == names_.end() ? std::string() : it->second;
}

onnx::NodeProto &GraphBuilder::addNode(llvm::StringRef opType,
                                       llvm::ArrayRef<std::string> inputs,
                                       llvm::StringRef hint) {
  onnx::NodeProto &node = *graph_.add_node();
  node.set_op_type(opType.str());
  for (const std::string &in : inputs)
    node.add_input(in);
  std::string out = fresh(hint);
  node.set_name(out);
  node.add_output(out);
  return node;
}

std::string GraphBuilder::scalar(double value) {
  onnx::NodeProto &node = addNode("Constant", {}, "const");
  onnx::AttributeProto &attr = *node.add_attribute();
  attr.set_name("value");
  attr.set_type(onnx::AttributeProto::TENSOR);
  onnx::TensorProto &t = *attr.mutable_t();
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_float_data(static_cast<float>(value));
  return output(node);
}

std::string GraphBuilder::initializer(llvm::StringRef hint,
                                      llvm::ArrayRef<int64_t> shape,
                                      llvm::ArrayRef<float> values) {
  onnx::TensorProto &t = *graph_.add_initializer();
  std::string name = fresh(hint);
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    t.add_dims(d);
  // Little-endian raw bytes, as ONNX stores large tensors.
  t.set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                             values.size() * sizeof(float)));
  return name;
}

void setIntAttr(onnx::NodeProto &node, llvm::StringRef name, int64_t value) {
  onnx::AttributeProto &attr = *node.add_attribute();
  attr.set_name(name.str());
  attr.set_type(onnx::AttributeProto::INT);
  attr.set_i(value);
}

void setIntsAttr(onnx::NodeProto &node, llvm::StringRef name,
                 llvm::ArrayRef<int64_t> values) {
  onnx::AttributeProto &attr = *node.add_attribute();
  attr.set_name(name.str());
  attr.set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values)
    attr.add_ints(v);
}
} // namespace he::onnx_export
