#ifndef HE_INTERFACES_TD
#define HE_INTERFACES_TD

include "mlir/IR/OpBase.td"

// What an op costs in CKKS levels. Every he op that can be part of a
// polynomial network declares it; DepthAnalysis refuses an op that does not
// (no silent 0 for an op it does not know).
def LevelCostOpInterface : OpInterface<"LevelCostOpInterface"> {
  let cppNamespace = "::he";
  let description = [{
    The multiplicative cost of an op under CKKS: how many levels (rescales)
    its result is deeper than its deepest operand, under a `he::CostModel`
    (the options of `--depth-report`). Asked only of an op that is a
    polynomial (`he::isPolynomialOp`).
  }];
  let methods = [
    InterfaceMethod<[{
        Levels the op consumes under `model`.
      }], "int64_t", "getLevelCost", (ins "const ::he::CostModel &":$model)>,
    InterfaceMethod<[{
        The operands the result's level comes from: all of them, but a
        `he.blend` at either end of its schedule computes only the side it
        selects (its folder agrees).
      }], "::llvm::SmallVector<::mlir::Value>", "getLevelOperands", (ins), [{}],
      [{ return ::llvm::to_vector($_op->getOperands()); }]>,
  ];
}

// Whether an op is a polynomial of its operands: the one list of the ops
// that CKKS cannot evaluate, read by DepthAnalysis, the depth report and
// he-verify-polynomial.
def PolynomialOpInterface : OpInterface<"PolynomialOpInterface"> {
  let cppNamespace = "::he";
  let description = [{
    Whether an op's result is a polynomial of the network's inputs when its
    operands are, and if not, why and what removes it. `he.relu` and
    `he.max_pool2d` never are; a `he.blend` is not while its lambda is
    strictly between 0 and 1, nor at 0 or 1 when the side it selects is not.
  }];
  let methods = [
    InterfaceMethod<[{
        Why the result is not a polynomial, with the pass that removes the
        op ("run he-replace-activations"); nullopt when it is one.
        `nonPolynomial` tells which operand values are not polynomials
        (an op that only combines its operands need not look: each of them
        is reported on its own).
      }], "std::optional<std::string>", "whyNotPolynomial",
      (ins "::llvm::function_ref<bool(::mlir::Value)>":$nonPolynomial), [{}],
      [{ return std::nullopt; }]>,
  ];
}

#endif // HE_INTERFACES_TD
