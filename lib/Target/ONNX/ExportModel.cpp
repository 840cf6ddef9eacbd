// The model writer: checks the function's signature, emits the ops that
// reach its result, names the graph's input and output as the contract
// says, adds the metadata and serialises the ModelProto.
#include "lib/Analysis/LiveOps.h"
#include "lib/Target/ONNX/ExportONNX.h"
#include "lib/Target/ONNX/Metadata.h"
#include "lib/Target/ONNX/OpEmitters.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"

#ifndef HEC_VERSION
#define HEC_VERSION "unknown"
#endif

using namespace mlir;

namespace he {
namespace {
using onnx_export::GraphBuilder;

/// The ops whose results reach the return (a ReLU left on a blend's unused
/// side is no part of the exported model).
llvm::DenseSet<Operation *> liveOps(func::FuncOp func) {
  SmallVector<Value> returned;
  func.walk([&](func::ReturnOp ret) {
    returned.append(ret.operand_begin(), ret.operand_end());
  });
  return opsReaching(returned);
}

void setTensorType(onnx::ValueInfoProto &info, const std::string &name,
                   llvm::ArrayRef<int64_t> dims) {
  info.set_name(name);
  onnx::TypeProto_Tensor &t = *info.mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::FLOAT);
  for (auto [i, d] : llvm::enumerate(dims)) {
    onnx::TensorShapeProto_Dimension &dim = *t.mutable_shape()->add_dim();
    if (i == 0)
      dim.set_dim_param("N");
    else
      dim.set_dim_value(d);
  }
}

/// Renames tensor `from` to `to` in every node.
void rename(onnx::GraphProto &graph, const std::string &from,
            const std::string &to) {
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    for (std::string &in : *node.mutable_input())
      if (in == from)
        in = to;
    for (std::string &out : *node.mutable_output())
      if (out == from)
        out = to;
  }
}

FailureOr<func::FuncOp> theFunction(ModuleOp module) {
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError() << "the ONNX export takes a module with one "
                                 "function of he ops, found "
                              << funcs.size();
  func::FuncOp func = funcs.front();
  if (func.isExternal())
    return func.emitError() << "the ONNX export needs a function with a "
                               "body, got a declaration of @"
                            << func.getSymName();
  FunctionType type = func.getFunctionType();
  auto in = type.getNumInputs() == 1
                ? dyn_cast<RankedTensorType>(type.getInput(0))
                : nullptr;
  auto out = type.getNumResults() == 1
                 ? dyn_cast<RankedTensorType>(type.getResult(0))
                 : nullptr;
  auto staticPastBatch = [](RankedTensorType t) {
    return t.getRank() >= 2 &&
           llvm::none_of(t.getShape().drop_front(), ShapedType::isDynamic);
  };
  if (!in || !staticPastBatch(in))
    return func.emitError() << "the ONNX export needs one input [N, ...] "
                               "with static dimensions past the batch, got "
                            << type;
  if (!out || out.getRank() != 2 || !staticPastBatch(out))
    return func.emitError() << "the ONNX export needs one result [N, classes] "
                               "with a static class count, got "
                            << type;
  return func;
}
} // namespace

LogicalResult exportToOnnx(ModuleOp module, llvm::raw_ostream &os,
                           const OnnxExportOptions &options) {
  FailureOr<func::FuncOp> found = theFunction(module);
  if (failed(found))
    return failure();
  func::FuncOp func = *found;
  auto inType = cast<RankedTensorType>(func.getArgument(0).getType());
  auto outType = cast<RankedTensorType>(func.getFunctionType().getResult(0));

  onnx::ModelProto model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("hec");
  model.set_producer_version(HEC_VERSION);
  onnx::OperatorSetIdProto &opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(kOnnxOpset);
  onnx::GraphProto &graph = *model.mutable_graph();
  graph.set_name(func.getSymName().str());

  GraphBuilder g(graph);
  g.bind(func.getArgument(0), g.fresh("input"));
  g.fresh("logits"); // reserved for the result
  llvm::DenseSet<Operation *> live = liveOps(func);
  for (Operation &op : func.getBody().front()) {
    if (isa<func::ReturnOp>(op) || !live.contains(&op))
      continue;
    if (failed(onnx_export::emitOp(&op, g)))
      return failure();
  }

  Operation *ret = func.getBody().front().getTerminator();
  std::string result = g.nameOf(ret->getOperand(0));
  bool produced = llvm::any_of(graph.node(), [&](const onnx::NodeProto &n) {
    return n.op_type() != "Constant" && n.output(0) == result;
  });
  if (!produced)
    return ret->emitError() << "the ONNX export needs a result computed by "
                               "the network, not its input or a parameter";
  rename(graph, result, "logits");

  FailureOr<DepthReportData> analyzed =
      analyzeDepthReport(func, CostModel{}, options.ckks);
  if (failed(analyzed) || analyzed->calibrationInvalid)
    return failure();
  DepthReportData &report = *analyzed;
  if (!report.depth.totalDepth) {
    Operation *bad = report.depth.nonPolynomial.empty()
                         ? func.getOperation()
                         : report.depth.nonPolynomial.front();
    return bad->emitOpError() << "(layer " << layerName(bad)
                              << ") is not a polynomial; the ONNX export "
                                 "takes polynomial networks only";
  }

  setTensorType(*graph.add_input(), "input", inType.getShape());
  setTensorType(*graph.add_output(), "logits", outType.getShape());
  if (failed(onnx_export::writeMetadata(model, module, report,
                                        inType.getShape().drop_front(),
                                        outType.getShape()[1])))
    return failure();

  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return module.emitError()
           << "cannot serialise the ONNX model (over 2 GiB?)";
  os << bytes;
  return success();
}
} // namespace he
