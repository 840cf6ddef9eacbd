#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h"

namespace he {
#define GEN_PASS_DEF_VERIFYPOLYNOMIAL
#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h.inc"

namespace {
// Why `op` is not a polynomial, as it declares (PolynomialOpInterface).
std::optional<std::string> whyNotPolynomial(PolynomialOpInterface op);

// A value is non-polynomial when the op that defines it is: an op that only
// combines its operands is not (each operand is reported on its own), a
// blend that selects a non-polynomial side is.
bool isNonPolynomial(mlir::Value value) {
  auto op = value.getDefiningOp<PolynomialOpInterface>();
  return op && whyNotPolynomial(op);
}

std::optional<std::string> whyNotPolynomial(PolynomialOpInterface op) {
  return op.whyNotPolynomial(isNonPolynomial);
}

struct VerifyPolynomial : impl::VerifyPolynomialBase<VerifyPolynomial> {
  void runOnOperation() override {
    bool failed = false;
    getOperation()->walk([&](mlir::Operation *op) {
      auto facts = llvm::dyn_cast<PolynomialOpInterface>(op);
      // Structure (func.func, func.return) computes no value.
      if (!facts && op->getNumResults() == 0)
        return;
      if (!facts) {
        op->emitOpError() << "does not declare whether it is a polynomial "
                             "(he::PolynomialOpInterface)";
        failed = true;
        return;
      }
      std::optional<std::string> problem = whyNotPolynomial(facts);
      if (!problem)
        return;
      op->emitOpError() << "(layer " << layerName(op)
                        << ") is not a polynomial; " << *problem;
      failed = true;
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
} // namespace he
