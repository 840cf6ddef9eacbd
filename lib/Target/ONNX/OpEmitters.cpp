#include "lib/Target/ONNX/OpEmitters.h"

#include "dialect/ParamValues.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace he::onnx_export {
namespace {
InFlightDiagnostic refuse(Operation *op) {
  return op->emitOpError() << "(layer " << layerName(op) << ") ";
}

std::string nodeHint(Operation *op) {
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    return name.str();
  return layerName(op);
}

std::vector<std::string> operandNames(Operation *op, GraphBuilder &g) {
  std::vector<std::string> names;
  for (Value v : op->getOperands())
    names.push_back(g.nameOf(v));
  return names;
}

LogicalResult emitParam(ParamOp op, GraphBuilder &g) {
  auto shape = staticShape(op, op.getResult(), "a parameter");
  if (!shape)
    return failure();
  std::optional<std::vector<float>> values = readParamValue(op);
  if (!values)
    return op.emitOpError() << "(parameter " << op.getParamName()
                            << ") has no value: an ONNX model needs trained "
                               "weights";
  g.bind(op.getResult(), g.initializer(op.getParamName(), *shape, *values));
  return success();
}

LogicalResult emitConv(Conv2dOp op, GraphBuilder &g) {
  if (op.getGroups() != 1)
    return refuse(op) << "is a grouped convolution (groups = " << op.getGroups()
                      << "); the HE ONNX subset has Conv with group 1 only";
  auto weight = staticShape(op, op.getWeight(), "the weight");
  if (!weight)
    return failure();
  onnx::NodeProto &node = g.addNode("Conv", operandNames(op, g), nodeHint(op));
  setIntsAttr(node, "kernel_shape", {(*weight)[2], (*weight)[3]});
  setIntsAttr(node, "strides", op.getStride());
  // he and ONNX both order pads [top, left, bottom, right].
  setIntsAttr(node, "pads", op.getPadding());
  setIntAttr(node, "group", 1);
  g.bind(op.getResult(), GraphBuilder::output(node));
  return success();
}

LogicalResult emitLinear(LinearOp op, GraphBuilder &g) {
  // Gemm computes A * B^T + C with B = weight [out][in].
  onnx::NodeProto &node = g.addNode("Gemm", operandNames(op, g), nodeHint(op));
  setIntAttr(node, "transB", 1);
  g.bind(op.getResult(), GraphBuilder::output(node));
  return success();
}

LogicalResult emitSimple(Operation *op, llvm::StringRef onnxOp,
                         GraphBuilder &g) {
  onnx::NodeProto &node = g.addNode(onnxOp, operandNames(op, g), nodeHint(op));
  if (auto concat = dyn_cast<ConcatOp>(op))
    setIntAttr(node, "axis", concat.getAxis());
  if (isa<FlattenOp>(op))
    setIntAttr(node, "axis", 1);
  g.bind(op->getResult(0), GraphBuilder::output(node));
  return success();
}

LogicalResult emitBlend(BlendOp op, GraphBuilder &g) {
  double lambda = op.getLambda().convertToDouble();
  if (lambda == 0.0 || lambda == 1.0) {
    g.bind(op.getResult(), g.nameOf(lambda == 0.0 ? op.getFrom() : op.getTo()));
    return success();
  }
  return refuse(op) << "is a blend strictly between its sides (lambda = "
                    << llvm::formatv("{0}", llvm::format("%g", lambda)).str()
                    << "), not a polynomial; run he-finalize-transition";
}
} // namespace

std::optional<SmallVector<int64_t>>
staticShape(Operation *op, Value v, llvm::StringRef what, bool dynamicBatch) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  bool ok = type && llvm::all_of(llvm::enumerate(type.getShape()), [&](auto d) {
              return d.value() != ShapedType::kDynamic ||
                     (dynamicBatch && d.index() == 0);
            });
  if (!ok) {
    refuse(op) << "needs a static shape for " << what << ", got "
               << v.getType();
    return std::nullopt;
  }
  return SmallVector<int64_t>(type.getShape());
}

LogicalResult emitOp(Operation *op, GraphBuilder &g) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ParamOp p) { return emitParam(p, g); })
      .Case([&](Conv2dOp c) { return emitConv(c, g); })
      .Case([&](LinearOp l) { return emitLinear(l, g); })
      .Case([&](PolyActOp p) { return emitPolyAct(p, g); })
      .Case([&](AvgPool2dOp p) { return emitAvgPool(p, g); })
      .Case([&](GlobalAvgPool2dOp p) { return emitGlobalAvgPool(p, g); })
      .Case([&](AddOp a) { return emitSimple(a, "Add", g); })
      .Case([&](ConcatOp c) { return emitSimple(c, "Concat", g); })
      .Case([&](FlattenOp f) { return emitSimple(f, "Flatten", g); })
      .Case([&](BlendOp b) { return emitBlend(b, g); })
      .Case([&](DropoutOp d) {
        // Inference: dropout is the identity, so it leaves no node.
        g.bind(d.getResult(), g.nameOf(d.getInput()));
        return success();
      })
      .Case([&](ReluOp r) {
        return refuse(r) << "is not a polynomial and has no HE-friendly "
                            "ONNX form; run he-replace-activations";
      })
      .Case([&](MaxPool2dOp m) {
        return refuse(m) << "is not a polynomial and has no HE-friendly "
                            "ONNX form; run he-lower-maxpool";
      })
      .Case([&](BatchNormOp b) {
        return refuse(b) << "is not folded; the HE ONNX subset has no "
                            "BatchNormalization; run he-fold-batchnorm";
      })
      .Default([&](Operation *other) {
        return other->emitOpError()
               << "has no HE-friendly ONNX form; the export takes he ops";
      });
}
} // namespace he::onnx_export
