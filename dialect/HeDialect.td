#ifndef HE_DIALECT_TD
#define HE_DIALECT_TD

include "mlir/IR/OpBase.td"

def He_Dialect : Dialect {
  let name = "he";
  let cppNamespace = "::he";
  let summary = "Neural networks for homomorphic-encryption-friendly training";
  let description = [{
    The `he` dialect describes convolutional networks (NCHW, `f32`) on their
    way from a ReLU original to a polynomial-only network that CKKS or BGV can
    evaluate. Layers carry PyTorch's attribute names; trainable tensors are
    `he.param` ops that may hold their values. `he.poly_act` and `he.blend`
    are the HE-friendly activations; `he.relu` and `he.max_pool2d` are the
    non-polynomial ops the passes remove.

    Every op declares the facts the analyses read (`dialect/HeInterfaces.td`),
    so that no analysis lists ops by name: `PolynomialOpInterface` (whether
    its result is a polynomial and, if not, what removes it) and, for every op
    that can be one, `LevelCostOpInterface` (the CKKS levels it consumes
    under a `he::CostModel`, and the operands its level comes from). The
    depth analysis refuses an op that declares no cost, and
    `he-verify-polynomial` one that does not declare whether it is a
    polynomial.
  }];
  let hasConstantMaterializer = 0;
}

// Every operand and result of an he op has an element count that fits in
// int64 (dialect/HeTraits.h), so no shape arithmetic downstream overflows.
def He_CountableShapes : NativeOpTrait<"CountableShapes"> {
  let cppNamespace = "::he";
}

class He_Op<string mnemonic, list<Trait> traits = []>
    : Op<He_Dialect, mnemonic, !listconcat([He_CountableShapes], traits)>;

// Every tensor in the dialect is ranked f32; the batch dimension may be `?`.
def He_Tensor : RankedTensorOf<[F32]>;

#endif // HE_DIALECT_TD
