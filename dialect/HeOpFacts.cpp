// The facts the analyses read, per op (HeInterfaces.td): the levels each op
// costs under CKKS and which ops are not polynomials. DepthAnalysis, the
// depth report and he-verify-polynomial ask these; nothing else lists ops.
#include "dialect/HeOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

#include "dialect/HeInterfaces.cpp.inc"

namespace he {
int64_t polyCost(ArrayRef<double> coeffs, bool trainable,
                 const CostModel &model) {
  size_t degree = coeffs.empty() ? 0 : coeffs.size() - 1;
  if (!trainable)
    while (degree > 0 && coeffs[degree] == 0.0)
      --degree;
  if (degree == 0)
    return 0;
  // Squarings build x^k in ceil(log2 k) levels; the lower coefficients
  // multiply lower powers in parallel, so only a non-unit leading one adds
  // a level (a*x^2 + b*x = x*(a*x + b)).
  int64_t levels = llvm::Log2_64_Ceil(degree) * model.mul;
  return levels + (coeffs[degree] == 1.0 ? 0 : model.scalar);
}

bool isPolynomialOp(Operation *op) {
  auto facts = dyn_cast<PolynomialOpInterface>(op);
  return facts && !facts.whyNotPolynomial([](Value) { return false; });
}

namespace {
// A sum pool (its 1/k^2 moved downstream) multiplies by nothing.
int64_t poolCost(std::optional<uint64_t> divisor, const CostModel &model) {
  return divisor && *divisor == 1 ? 0 : model.pool;
}

// Lambda as written in a schedule ("0.3", not "3.000000e-01").
std::string lambdaText(double lambda) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", lambda);
  return text;
}
} // namespace

//===----------------------------------------------------------------------===//
// Levels
//===----------------------------------------------------------------------===//

// A constant is a plaintext at level 0.
int64_t ParamOp::getLevelCost(const CostModel &) { return 0; }
int64_t Conv2dOp::getLevelCost(const CostModel &model) { return model.conv; }
int64_t LinearOp::getLevelCost(const CostModel &model) { return model.linear; }
int64_t BatchNormOp::getLevelCost(const CostModel &model) { return model.bn; }
int64_t AvgPool2dOp::getLevelCost(const CostModel &model) {
  return poolCost(getDivisorOverride(), model);
}
int64_t GlobalAvgPool2dOp::getLevelCost(const CostModel &model) {
  return poolCost(getDivisorOverride(), model);
}
int64_t PolyActOp::getLevelCost(const CostModel &model) {
  return polyCost(getCoeffs(), getTrainable(), model);
}
int64_t AddOp::getLevelCost(const CostModel &model) { return model.add; }
// Data movement.
int64_t ConcatOp::getLevelCost(const CostModel &) { return 0; }
int64_t FlattenOp::getLevelCost(const CostModel &) { return 0; }
int64_t DropoutOp::getLevelCost(const CostModel &) { return 0; }
// At either end of its schedule a blend is the side it selects; in between
// it is not a polynomial and is never asked.
int64_t BlendOp::getLevelCost(const CostModel &) { return 0; }

SmallVector<Value> BlendOp::getLevelOperands() {
  double lambda = getLambda().convertToDouble();
  if (lambda == 1.0)
    return {getTo()};
  if (lambda == 0.0)
    return {getFrom()};
  return {getFrom(), getTo()};
}

//===----------------------------------------------------------------------===//
// Polynomials
//===----------------------------------------------------------------------===//

std::optional<std::string> ReluOp::whyNotPolynomial(function_ref<bool(Value)>) {
  return "run he-replace-activations";
}

std::optional<std::string>
MaxPool2dOp::whyNotPolynomial(function_ref<bool(Value)>) {
  return "run he-lower-maxpool";
}

// Its sides are reported on their own; only the side the blend selects makes
// it fail.
std::optional<std::string>
BlendOp::whyNotPolynomial(function_ref<bool(Value)> nonPolynomial) {
  double lambda = getLambda().convertToDouble();
  if (lambda > 0.0 && lambda < 1.0)
    return "lambda " + lambdaText(lambda) +
           " is strictly between 0 and 1: run he-finalize-transition";
  if (lambda == 0.0 && nonPolynomial(getFrom()))
    return "at lambda 0 it selects its non-polynomial 'from' side: run "
           "he-finalize-transition";
  if (lambda == 1.0 && nonPolynomial(getTo()))
    return "at lambda 1 it selects its non-polynomial 'to' side";
  return std::nullopt;
}
} // namespace he
