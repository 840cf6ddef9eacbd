// Average and sum pools as AveragePool with explicit kernel_shape, strides
// and pads. A sum pool (divisor_override, which he-absorb-scalars sets to 1)
// is an AveragePool counting the padding, then a Mul by kernel area / divisor.
// A global pool is an AveragePool over the whole map.
#include "lib/Target/ONNX/OpEmitters.h"

using namespace mlir;

namespace he::onnx_export {
namespace {
/// Output size of one spatial dimension with floor rounding.
int64_t floorSize(int64_t in, int64_t padBegin, int64_t padEnd, int64_t k,
                  int64_t s) {
  return (in + padBegin + padEnd - k) / s + 1;
}

std::string scaleBy(GraphBuilder &g, std::string y, double factor,
                    llvm::StringRef hint) {
  if (factor == 1.0)
    return y;
  return GraphBuilder::output(g.addNode("Mul", {y, g.scalar(factor)}, hint));
}

onnx::NodeProto &averagePool(GraphBuilder &g, Operation *op,
                             llvm::ArrayRef<int64_t> kernel,
                             llvm::ArrayRef<int64_t> stride,
                             llvm::ArrayRef<int64_t> pads, bool countPad,
                             bool ceil) {
  onnx::NodeProto &node =
      g.addNode("AveragePool", {g.nameOf(op->getOperand(0))}, layerName(op));
  setIntsAttr(node, "kernel_shape", kernel);
  setIntsAttr(node, "strides", stride);
  setIntsAttr(node, "pads", pads);
  setIntAttr(node, "count_include_pad", countPad ? 1 : 0);
  if (ceil)
    setIntAttr(node, "ceil_mode", 1);
  return node;
}
} // namespace

LogicalResult emitAvgPool(AvgPool2dOp op, GraphBuilder &g) {
  auto in = staticShape(op, op.getInput(), "the input", true);
  auto out = staticShape(op, op.getResult(), "the result", true);
  if (!in || !out)
    return failure();
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(), p = op.getPadding();
  // ceil_mode matters only when a last window hangs past the padded input.
  bool hangs = (*out)[2] != floorSize((*in)[2], p[0], p[2], k[0], s[0]) ||
               (*out)[3] != floorSize((*in)[3], p[1], p[3], k[1], s[1]);
  bool unpadded = llvm::all_of(p, [](int64_t v) { return v == 0; });
  std::optional<uint64_t> divisor = op.getDivisorOverride();
  if (hangs && (divisor || (op.getCountIncludePad() && !unpadded)))
    return op.emitOpError()
           << "(layer " << layerName(op)
           << ") has a ceil_mode window hanging past the padded input with a "
              "fixed divisor; ONNX runtimes divide such windows differently";
  double area = static_cast<double>(k[0] * k[1]);
  if (divisor) {
    std::string y = GraphBuilder::output(
        averagePool(g, op, k, s, p, /*countPad=*/true, /*ceil=*/false));
    g.bind(op.getResult(),
           scaleBy(g, y, area / static_cast<double>(*divisor), layerName(op)));
    return success();
  }
  // Without padding, counting it or not is the same; count_include_pad = 0
  // then also divides a hanging window by what it covers, as PyTorch does.
  bool countPad = op.getCountIncludePad() && !unpadded;
  g.bind(op.getResult(),
         GraphBuilder::output(averagePool(g, op, k, s, p, countPad, hangs)));
  return success();
}

LogicalResult emitGlobalAvgPool(GlobalAvgPool2dOp op, GraphBuilder &g) {
  auto in = staticShape(op, op.getInput(), "the input", true);
  if (!in)
    return failure();
  int64_t h = (*in)[2], w = (*in)[3];
  std::string y = GraphBuilder::output(averagePool(
      g, op, {h, w}, {1, 1}, {0, 0, 0, 0}, /*countPad=*/true, false));
  if (std::optional<uint64_t> d = op.getDivisorOverride())
    y = scaleBy(g, y, static_cast<double>(h * w) / static_cast<double>(*d),
                layerName(op));
  g.bind(op.getResult(), y);
  return success();
}
} // namespace he::onnx_export
