// he.poly_act as the scalar Mul/Add/Pow nodes HE runtimes accept, in the
// absorbed form hec emits: Horner's rule with the unit multiplications and
// zero additions left out, so x^2 + c*x is Mul(x, Add(x, c)) and a lone
// power c*x^k is Mul(Pow(x, k), c) (x*x for k = 2).
#include "lib/Target/ONNX/OpEmitters.h"

using namespace mlir;

namespace he::onnx_export {
namespace {
std::string mul(GraphBuilder &g, const std::string &a, const std::string &b,
                llvm::StringRef hint) {
  return GraphBuilder::output(g.addNode("Mul", {a, b}, hint));
}
std::string add(GraphBuilder &g, const std::string &a, const std::string &b,
                llvm::StringRef hint) {
  return GraphBuilder::output(g.addNode("Add", {a, b}, hint));
}
} // namespace

LogicalResult emitPolyAct(PolyActOp op, GraphBuilder &g) {
  std::string hint = layerName(op);
  std::string x = g.nameOf(op.getInput());
  SmallVector<double> c(op.getCoeffs());
  // Trailing zeros (a trainable polynomial's unused top) add nothing.
  while (c.size() > 1 && c.back() == 0.0)
    c.pop_back();
  size_t degree = c.size() - 1;

  auto nonZero = llvm::count_if(c, [](double v) { return v != 0.0; });
  if (degree >= 1 && nonZero == 1) {
    std::string y = x;
    if (degree == 2)
      y = mul(g, x, x, hint);
    else if (degree > 2)
      y = GraphBuilder::output(
          g.addNode("Pow", {x, g.scalar(static_cast<double>(degree))}, hint));
    if (c.back() != 1.0)
      y = mul(g, y, g.scalar(c.back()), hint);
    g.bind(op.getResult(), y);
    return success();
  }

  // p(x) = c0 + x*(c1 + x*(c2 + ...)). `inner` is a tensor once it has
  // been multiplied by x, a scalar (c[degree]) before.
  std::string inner;
  double leading = c[degree];
  for (size_t i = degree; i-- > 0;) {
    std::string term;
    if (inner.empty())
      term = leading == 1.0 ? x : mul(g, x, g.scalar(leading), hint);
    else
      term = mul(g, x, inner, hint);
    inner = c[i] == 0.0 ? term : add(g, term, g.scalar(c[i]), hint);
  }
  if (inner.empty()) // degree 0: the constant c0 everywhere
    inner = add(g, mul(g, x, g.scalar(0.0), hint), g.scalar(c[0]), hint);
  g.bind(op.getResult(), inner);
  return success();
}
} // namespace he::onnx_export
