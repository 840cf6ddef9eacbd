#ifndef HE_TRANSFORMS_REPLACEACTIVATIONS_TD
#define HE_TRANSFORMS_REPLACEACTIVATIONS_TD

include "mlir/Pass/PassBase.td"

def ReplaceActivations : Pass<"he-replace-activations"> {
  let summary = "Replace every he.relu by a polynomial activation";
  let description = [{
    Each `he.relu` becomes an `he.poly_act` on the same input, by `method`:

    - `square`: `x^2`, frozen (`coeffs [0, 0, 1]`);
    - `approx-relu`: the fixed `0.00047·x^2 + 0.5·x`, frozen;
    - `poly`: a trainable polynomial of degree `degree`. At degree 2 it
      starts as the paper's `a·x^2 + b·x` (`coeffs [0, b, a]`); at any other
      degree it starts as the least-squares fit of ReLU on
      `[-range, range]`, so that training starts from a ReLU-like shape;
    - `blend`: `he.blend %relu, %poly lambda 0.0` with `%poly` as above, for
      the smooth transition (the runtime moves lambda to 1).

    The new op keeps the layer's name. In `blend` mode the blend takes it,
    the polynomial is `name.poly` and the ReLU becomes `name.relu`; a ReLU
    that already is the `from` side of a blend is left alone.
  }];
  let options = [
    Option<"method", "method", "::he::ActivationMethod",
           /*default=*/"::he::ActivationMethod::Poly",
           "square | approx-relu | poly | blend">,
    Option<"degree", "degree", "int", /*default=*/"2",
           "degree of the trainable polynomial (poly and blend), in [1, 32]">,
    Option<"a", "a", "double", /*default=*/"0.0",
           "initial x^2 coefficient of the degree-2 trainable polynomial">,
    Option<"b", "b", "double", /*default=*/"1.0",
           "initial x coefficient of the degree-2 trainable polynomial">,
    Option<"range", "range", "double", /*default=*/"5.0",
           "half-width of the interval of the least-squares ReLU fit "
           "(degree other than 2)">
  ];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
