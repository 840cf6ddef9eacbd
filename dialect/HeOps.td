#ifndef HE_OPS_TD
#define HE_OPS_TD

include "dialect/HeDialect.td"
include "dialect/HeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

// The facts the analyses read (dialect/HeInterfaces.td): an op with a
// multiplicative cost that is always a polynomial, and one that never is.
defvar CostsLevels = [DeclareOpInterfaceMethods<LevelCostOpInterface>,
                      PolynomialOpInterface];
defvar NeverPolynomial = [DeclareOpInterfaceMethods<PolynomialOpInterface,
                                                  ["whyNotPolynomial"]>];

// An optional human name ("conv1", "fire2.squeeze") that reports and
// diagnostics use to point at a layer.
defvar LayerName = (ins OptionalAttr<StrAttr>:$name);

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def He_ParamOp : He_Op<"param", !listconcat([Pure], CostsLevels)> {
  let summary = "a named tensor of the network: trainable, or a buffer";
  let description = [{
    Names a tensor of the network by its PyTorch state-dict key. It may carry
    its value (a `dense_resource`, so large weights stay compact in bytecode,
    or a `dense` literal); without one the runtime initialises it as PyTorch
    initialises the same layer. `buffer` marks a tensor that is not trained
    (batch-norm running statistics).

    ```mlir
    %w = he.param "conv1.weight" : tensor<64x3x11x11xf32>
    %m = he.param "bn1.running_mean" buffer : tensor<64xf32> = dense<0.0>
    ```
  }];
  let arguments = (ins StrAttr:$param_name, OptionalAttr<ElementsAttr>:$value,
                   UnitAttr:$buffer);
  let results = (outs He_Tensor:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear layers
//===----------------------------------------------------------------------===//

def He_Conv2dOp : He_Op<"conv2d", !listconcat([Pure], CostsLevels)> {
  let summary = "2-D convolution (PyTorch's Conv2d)";
  let description = [{
    `weight` is `[out, in/groups, kh, kw]`, `bias` (optional) is `[out]`.
    `padding` is `[top, left, bottom, right]` zeros.
    The result's spatial size is `(H + top + bottom - kh) / stride + 1`.
  }];
  let arguments = !con((ins He_Tensor:$input, He_Tensor:$weight,
      Optional<He_Tensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<I64Attr, "1">:$groups), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def He_LinearOp : He_Op<"linear", !listconcat([Pure], CostsLevels)> {
  let summary = "fully connected layer (PyTorch's Linear)";
  let description = [{
    `y = x · weightᵀ + bias` with `x : [N, in]`, `weight : [out, in]`,
    `bias : [out]` (optional).
  }];
  let arguments = !con((ins He_Tensor:$input, He_Tensor:$weight,
                        Optional<He_Tensor>:$bias), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def He_BatchNormOp : He_Op<"batch_norm", !listconcat([Pure,
    AllTypesMatch<["input", "result"]>,
    AllTypesMatch<["weight", "bias", "running_mean", "running_var"]>],
    CostsLevels)> {
  let summary = "batch normalisation over channels (dimension 1)";
  let description = [{
    `y = (x - running_mean) / sqrt(running_var + epsilon) * weight + bias`
    in inference; training uses batch statistics and updates the running ones
    with `momentum`, as PyTorch does. Input is `[N, C]` or `[N, C, H, W]`;
    the four parameters are `[C]`.
  }];
  let arguments = !con((ins He_Tensor:$input, He_Tensor:$weight,
      He_Tensor:$bias, He_Tensor:$running_mean, He_Tensor:$running_var,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon,
      DefaultValuedAttr<F64Attr, "0.1">:$momentum), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var attr-dict
    `:` type($input) `,` type($weight)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class He_PoolOp<string mnemonic, string what, dag extra, list<Trait> facts>
    : He_Op<mnemonic, !listconcat([Pure], facts)> {
  let summary = what # " pooling (PyTorch's " # mnemonic # ")";
  let arguments = !con((ins He_Tensor:$input,
      DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode), extra, LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def He_MaxPool2dOp : He_PoolOp<"max_pool2d", "max", (ins), NeverPolynomial> {
  let description = [{
    Not a polynomial: `he-lower-maxpool` replaces it by `he.avg_pool2d`.
    `padding` is `[top, left, bottom, right]` (−∞ padding, as PyTorch).
  }];
}

def He_AvgPool2dOp : He_PoolOp<"avg_pool2d", "average",
    (ins DefaultValuedAttr<BoolAttr, "true">:$count_include_pad,
         OptionalAttr<I64Attr>:$divisor_override), CostsLevels> {
  let description = [{
    As PyTorch's AvgPool2d. `divisor_override = 1` makes it a sum pool: that
    is how `he-absorb-scalars` moves the `1/k²` into the next linear layer.
  }];
}

def He_GlobalAvgPool2dOp : He_Op<"global_avg_pool2d",
    !listconcat([Pure], CostsLevels)> {
  let summary = "mean over the spatial dimensions: [N, C, H, W] -> [N, C, 1, 1]";
  let description = [{
    `divisor_override = 1` makes it a sum (its `1/(H·W)` absorbed downstream).
  }];
  let arguments = !con((ins He_Tensor:$input,
                        OptionalAttr<I64Attr>:$divisor_override), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def He_ReluOp : He_Op<"relu",
    !listconcat([Pure, SameOperandsAndResultType], NeverPolynomial)> {
  let summary = "max(x, 0): not a polynomial";
  let arguments = !con((ins He_Tensor:$input), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def He_PolyActOp : He_Op<"poly_act",
    !listconcat([Pure, SameOperandsAndResultType], CostsLevels)> {
  let summary = "elementwise polynomial activation";
  let description = [{
    `y = Σ coeffs[k] · x^k`, coefficients by ascending power. The paper's
    trainable activation `a·x² + b·x` is `coeffs [0, b, a]`. `trainable`
    marks coefficients the runtime learns (one set per layer).

    ```mlir
    %y = he.poly_act %x coeffs [0.0, 1.0, 0.0] trainable : tensor<?x64x8x8xf32>
    ```
  }];
  let arguments = !con((ins He_Tensor:$input, DenseF64ArrayAttr:$coeffs,
                        UnitAttr:$trainable), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $input `coeffs` custom<Coeffs>($coeffs) (`trainable` $trainable^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def He_BlendOp : He_Op<"blend", [Pure, AllTypesMatch<["from", "to", "result"]>,
    DeclareOpInterfaceMethods<LevelCostOpInterface, ["getLevelOperands"]>,
    DeclareOpInterfaceMethods<PolynomialOpInterface, ["whyNotPolynomial"]>]> {
  let summary = "(1 - lambda) · from + lambda · to";
  let description = [{
    The smooth transition of the paper: the runtime sets `lambda` every epoch
    from the experiment's schedule. Folds to `from` at λ = 0 and to `to` at
    λ = 1.
  }];
  let arguments = !con((ins He_Tensor:$from, He_Tensor:$to,
                        F64Attr:$lambda), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = [{
    $from `,` $to `lambda` $lambda attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def He_AddOp : He_Op<"add",
    !listconcat([Pure, AllTypesMatch<["lhs", "result"]>], CostsLevels)> {
  let summary = "elementwise sum; `rhs` broadcasts to `lhs` (NumPy rules)";
  let description = [{
    Adds two branches of the same shape, or a constant such as a per-channel
    shift `tensor<Cx1x1xf32>` (additions cost no level in CKKS).
  }];
  let arguments = !con((ins He_Tensor:$lhs, He_Tensor:$rhs), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasVerifier = 1;
}

def He_ConcatOp : He_Op<"concat", !listconcat([Pure], CostsLevels)> {
  let summary = "concatenation along `axis` (channels by default)";
  let arguments = !con((ins Variadic<He_Tensor>:$inputs,
                        DefaultValuedAttr<I64Attr, "1">:$axis), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, $result)";
  let hasVerifier = 1;
}

def He_FlattenOp : He_Op<"flatten", !listconcat([Pure], CostsLevels)> {
  let summary = "[N, d1, d2, ...] -> [N, d1·d2·...] (torch.flatten(x, 1))";
  let arguments = !con((ins He_Tensor:$input), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def He_DropoutOp : He_Op<"dropout",
    !listconcat([Pure, SameOperandsAndResultType], CostsLevels)> {
  let summary = "dropout with probability `p` in training; identity otherwise";
  let arguments = !con((ins He_Tensor:$input,
                        DefaultValuedAttr<F64Attr, "0.5">:$p), LayerName);
  let results = (outs He_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // HE_OPS_TD
