#ifndef HE_TRANSFORMS_VERIFYPOLYNOMIAL_TD
#define HE_TRANSFORMS_VERIFYPOLYNOMIAL_TD

include "mlir/Pass/PassBase.td"

def VerifyPolynomial : Pass<"he-verify-polynomial"> {
  let summary = "Fail, naming each op, if the network is not polynomial";
  let description = [{
    CKKS evaluates only additions and multiplications. This pass emits one
    located error per op that keeps the network from being a polynomial,
    naming its layer and the pass that removes it, then fails:

    - every `he.relu` (run `he-replace-activations`);
    - every `he.max_pool2d` (run `he-lower-maxpool`);
    - every `he.blend` whose lambda is strictly between 0 and 1: the
      transition has not ended (run `he-finalize-transition`);
    - an `he.blend` at lambda 0 whose `from` side is non-polynomial, or at
      lambda 1 whose `to` side is: its result is that side. A side is
      non-polynomial when it is produced by one of the ops above;
    - every op that computes a value but does not declare whether it is a
      polynomial (`he::PolynomialOpInterface`), such as an op of another
      dialect.

    Which ops are not polynomials, and what removes them, is declared on the
    ops (`dialect/HeInterfaces.td`); the pass only asks.

    It changes nothing and is silent when the network is polynomial.
  }];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
