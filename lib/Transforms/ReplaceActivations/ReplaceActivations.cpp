#include "lib/Transforms/ReplaceActivations/ReplaceActivations.h"
#include "lib/Transforms/ReplaceActivations/ReluFit.h"
#include "lib/Transforms/Transition.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/Format.h"

#include <cmath>

namespace {
struct MethodName {
  llvm::StringLiteral name;
  he::ActivationMethod method;
};
constexpr MethodName kMethods[] = {
    {"square", he::ActivationMethod::Square},
    {"approx-relu", he::ActivationMethod::ApproxRelu},
    {"poly", he::ActivationMethod::Poly},
    {"blend", he::ActivationMethod::Blend},
};
} // namespace

bool llvm::cl::parser<he::ActivationMethod>::parse(
    Option &option, StringRef argName, StringRef arg,
    he::ActivationMethod &value) {
  for (const MethodName &known : kMethods)
    if (arg == known.name) {
      value = known.method;
      return false;
    }
  return option.error("unknown method '" + arg +
                      "'; expected one of: square, approx-relu, poly, blend");
}

void llvm::cl::parser<he::ActivationMethod>::print(raw_ostream &os,
                                                   he::ActivationMethod value) {
  for (const MethodName &known : kMethods)
    if (value == known.method)
      os << known.name;
}

void llvm::cl::parser<he::ActivationMethod>::printOptionDiff(
    const Option &option, he::ActivationMethod value,
    const OptionValue<he::ActivationMethod> &defaultValue,
    size_t globalWidth) const {
  printOptionName(option, globalWidth);
  outs() << "= ";
  print(outs(), value);
  outs() << " (default: ";
  if (defaultValue.hasValue())
    print(outs(), defaultValue.getValue());
  else
    outs() << "*no default*";
  outs() << ")\n";
}

namespace he {
#define GEN_PASS_DEF_REPLACEACTIVATIONS
#include "lib/Transforms/ReplaceActivations/ReplaceActivations.h.inc"

namespace {
struct ReplaceActivations : impl::ReplaceActivationsBase<ReplaceActivations> {
  using ReplaceActivationsBase::ReplaceActivationsBase;

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    llvm::SmallVector<ReluOp> relus;
    getOperation()->walk([&](ReluOp op) { relus.push_back(op); });
    for (ReluOp relu : relus)
      replace(relu);
  }

  // Options out of range are errors at the first ReLU they concern (or the
  // first op of the input when there is none), so that the file and line
  // are those of the network, not of an implicit module.
  mlir::LogicalResult checkOptions() {
    mlir::Location where = getOperation()->getLoc();
    bool atFunc = false;
    getOperation()->walk<mlir::WalkOrder::PreOrder>([&](mlir::Operation *op) {
      if (mlir::isa<ReluOp>(op)) {
        where = op->getLoc();
        return mlir::WalkResult::interrupt();
      }
      if (!atFunc && op != getOperation() &&
          mlir::isa<mlir::FunctionOpInterface>(op)) {
        where = op->getLoc();
        atFunc = true;
      }
      return mlir::WalkResult::advance();
    });
    auto fail = [&](llvm::StringRef option, llvm::StringRef expected,
                    const std::string &got) {
      return mlir::emitError(where)
             << "he-replace-activations expects option '" << option << "' "
             << expected << ", got " << got;
    };
    auto number = [](double v) {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%.17g", v);
      return text;
    };
    if (degree < 1 || unsigned(degree) > kMaxFitDegree)
      return fail("degree",
                  "in [1, " + std::to_string(kMaxFitDegree) +
                      "] (beyond it the least-squares fit of ReLU in "
                      "monomial coefficients is lost to rounding)",
                  std::to_string(degree));
    if (!(range > 0) || !std::isfinite(range))
      return fail("range", "> 0 and finite", number(range));
    if (!std::isfinite(a))
      return fail("a", "finite", number(a));
    if (!std::isfinite(b))
      return fail("b", "finite", number(b));
    return mlir::success();
  }

  // The paper's a·x^2 + b·x at degree 2; a ReLU-like start at any other.
  llvm::SmallVector<double> trainableCoeffs() {
    if (degree == 2)
      return {0.0, b, a};
    return fitRelu(degree, range);
  }

  void replace(ReluOp relu) {
    if (method == ActivationMethod::Blend && isBlendSource(relu.getResult()))
      return;
    mlir::OpBuilder builder(relu);
    builder.setInsertionPointAfter(relu);
    mlir::StringAttr name = relu.getNameAttr();
    auto poly = [&](llvm::ArrayRef<double> coeffs, bool trainable,
                    mlir::StringAttr polyName) {
      return builder.create<PolyActOp>(relu.getLoc(), relu.getInput(), coeffs,
                                       trainable, polyName);
    };
    PolyActOp replacement;
    switch (method) {
    case ActivationMethod::Square:
      replacement = poly({0.0, 0.0, 1.0}, /*trainable=*/false, name);
      break;
    case ActivationMethod::ApproxRelu:
      replacement = poly({0.0, 0.5, 0.00047}, /*trainable=*/false, name);
      break;
    case ActivationMethod::Poly:
      replacement = poly(trainableCoeffs(), /*trainable=*/true, name);
      break;
    case ActivationMethod::Blend:
      startTransition(relu,
                      poly(trainableCoeffs(), /*trainable=*/true,
                           suffixedName(name, ".poly")),
                      ".relu");
      return;
    }
    relu.replaceAllUsesWith(replacement.getResult());
    relu.erase();
  }
};
} // namespace
} // namespace he
