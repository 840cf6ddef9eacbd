#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace he {
#define GEN_PASS_DEF_VERIFYPOLYNOMIAL
#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h.inc"

namespace {
bool isNonPolynomial(mlir::Value value);

// Lambda as written in a schedule ("0.3", not "3.000000e-01").
std::string lambdaText(double lambda) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", lambda);
  return text;
}

// Why a blend is not a polynomial, or empty when it is one. Its sides are
// reported on their own; only the side the blend selects makes it fail.
std::string blendProblem(BlendOp blend) {
  double lambda = blend.getLambda().convertToDouble();
  if (lambda > 0.0 && lambda < 1.0)
    return "lambda " + lambdaText(lambda) +
           " is strictly between 0 and 1: run he-finalize-transition";
  if (lambda == 0.0 && isNonPolynomial(blend.getFrom()))
    return "at lambda 0 it selects its non-polynomial 'from' side: run "
           "he-finalize-transition";
  if (lambda == 1.0 && isNonPolynomial(blend.getTo()))
    return "at lambda 1 it selects its non-polynomial 'to' side";
  return {};
}

bool isNonPolynomial(mlir::Value value) {
  mlir::Operation *op = value.getDefiningOp();
  if (!op)
    return false;
  if (llvm::isa<ReluOp, MaxPool2dOp>(op))
    return true;
  if (auto blend = llvm::dyn_cast<BlendOp>(op))
    return !blendProblem(blend).empty();
  return false;
}

struct VerifyPolynomial : impl::VerifyPolynomialBase<VerifyPolynomial> {
  void runOnOperation() override {
    bool failed = false;
    getOperation()->walk([&](mlir::Operation *op) {
      std::string problem;
      if (llvm::isa<ReluOp>(op))
        problem = "run he-replace-activations";
      else if (llvm::isa<MaxPool2dOp>(op))
        problem = "run he-lower-maxpool";
      else if (auto blend = llvm::dyn_cast<BlendOp>(op))
        problem = blendProblem(blend);
      if (problem.empty())
        return;
      op->emitOpError() << "(layer " << layerName(op)
                        << ") is not a polynomial; " << problem;
      failed = true;
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
} // namespace he
