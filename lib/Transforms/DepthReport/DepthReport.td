#ifndef HE_TRANSFORMS_DEPTHREPORT_TD
#define HE_TRANSFORMS_DEPTHREPORT_TD

include "mlir/Pass/PassBase.td"

def DepthReport : Pass<"depth-report", "::mlir::ModuleOp"> {
  let summary = "Print the multiplicative depth and CKKS parameters of each network";
  let description = [{
    For every `func.func` of the module, prints to stdout the level each op
    consumes (the cost model is set by the `*-cost` options), the critical
    path, the total depth (or the non-polynomial ops that leave it unknown),
    the trainable parameters and buffers, and the smallest CKKS ring
    dimension whose modulus holds the depth at `security` bits, from the
    Homomorphic Encryption Standard's table. The IR is not changed.

    `he-opt model.mlir --depth-report` prints only the report;
    `--depth-report-format=json` (or `--depth-report="format=json"`) prints
    it as JSON. See docs/depth.md.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "text | json">,
    Option<"security", "security", "int64_t", /*default=*/"128",
           "classical security bits: 128, 192 or 256">,
    Option<"scaleBits", "scale-bits", "int64_t", /*default=*/"40",
           "bits of each rescaling prime (one per level)">,
    Option<"firstModBits", "first-mod-bits", "int64_t", /*default=*/"60",
           "bits of the first (last remaining) prime">,
    Option<"specialPrimeBits", "special-prime-bits", "int64_t",
           /*default=*/"60", "bits of the key-switching prime">,
    Option<"convCost", "conv-cost", "int64_t", /*default=*/"1",
           "levels of he.conv2d">,
    Option<"linearCost", "linear-cost", "int64_t", /*default=*/"1",
           "levels of he.linear">,
    Option<"poolCost", "pool-cost", "int64_t", /*default=*/"1",
           "levels of an average pool's 1/k^2 (0 when divisor_override = 1)">,
    Option<"bnCost", "bn-cost", "int64_t", /*default=*/"1",
           "levels of he.batch_norm">,
    Option<"mulCost", "mul-cost", "int64_t", /*default=*/"1",
           "levels of one ciphertext multiplication level of a polynomial">,
    Option<"scalarCost", "scalar-cost", "int64_t", /*default=*/"1",
           "levels of a polynomial's non-unit leading coefficient">,
    Option<"addCost", "add-cost", "int64_t", /*default=*/"0",
           "levels of he.add">
  ];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
