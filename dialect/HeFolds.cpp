// Folders and canonicalisation patterns of the he ops.
#include "dialect/HeOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace he;

// A blend at either end of its schedule is just that side.
OpFoldResult BlendOp::fold(FoldAdaptor) {
  double lambda = getLambda().convertToDouble();
  if (lambda == 0.0 || getFrom() == getTo())
    return getFrom();
  if (lambda == 1.0)
    return getTo();
  return {};
}

// The identity polynomial x (coefficients [0, 1], trailing zeros allowed).
// A trainable one stays: training may move it.
OpFoldResult PolyActOp::fold(FoldAdaptor) {
  ArrayRef<double> c = getCoeffs();
  if (getTrainable() || c.size() < 2 || c[0] != 0.0 || c[1] != 1.0)
    return {};
  if (llvm::all_of(c.drop_front(2), [](double x) { return x == 0.0; }))
    return getInput();
  return {};
}

namespace {
// Trailing zero coefficients of a frozen polynomial are dropped, so that its
// degree (and so its depth) is read off the attribute.
struct TrimTrailingZeros : OpRewritePattern<PolyActOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PolyActOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<double> c = op.getCoeffs();
    if (op.getTrainable() || c.size() < 2 || c.back() != 0.0)
      return failure();
    while (c.size() > 1 && c.back() == 0.0)
      c = c.drop_back();
    rewriter.modifyOpInPlace(op, [&] { op.setCoeffs(c); });
    return success();
  }
};
} // namespace

void PolyActOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<TrimTrailingZeros>(context);
}
