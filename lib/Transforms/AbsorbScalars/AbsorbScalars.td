#ifndef HE_TRANSFORMS_ABSORBSCALARS_TD
#define HE_TRANSFORMS_ABSORBSCALARS_TD

include "mlir/Pass/PassBase.td"

def AbsorbScalars : Pass<"he-absorb-scalars"> {
  let summary = "Move plaintext scalar multiplications into the next linear op, exactly";
  let description = [{
    Each multiplication by a plaintext scalar costs a CKKS level. This pass
    moves them into the weights of the next `he.conv2d` / `he.linear`, where
    they are free:

    - a `he.poly_act` with leading coefficient `a` becomes monic (all
      coefficients divided by `a`), so `a·x² + b·x` becomes
      `x·(x + b/a)` at one level; `b·x` becomes the identity and is erased;
    - a `he.avg_pool2d` with a constant divisor (`count_include_pad`, or no
      padding, and no `ceil_mode` overhang) and a `he.global_avg_pool2d`
      become sum pools (`divisor_override = 1`).

    The factor travels forward through pools, `he.flatten`, `he.dropout`,
    `he.concat` (channel axis), `he.add` of a constant parameter (which is
    divided by it) or of two branches carrying the same factor, and into a
    following `he.poly_act` when uniform (`p(a·x)`). Convolutions and linear
    layers absorb it into the weights of the input channels it scales. When
    any user on the way cannot take the factor (a return, a ReLU, a
    parameter without value, ...), that scalar stays where it is.
  }];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
