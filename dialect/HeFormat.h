// Custom assembly directives of the he ops (HeOps.td's custom<...>).
#ifndef HE_DIALECT_HEFORMAT_H
#define HE_DIALECT_HEFORMAT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

namespace he {
/// `[c0, c1, ...]`: he.poly_act's coefficients, each printed with the
/// shortest decimal that reads back to the same double (MLIR's default
/// for a DenseF64ArrayAttr keeps 7 digits).
mlir::ParseResult parseCoeffs(mlir::OpAsmParser &parser,
                              mlir::DenseF64ArrayAttr &coeffs);
void printCoeffs(mlir::OpAsmPrinter &printer, mlir::Operation *op,
                 mlir::DenseF64ArrayAttr coeffs);

/// The shortest decimal of `value` that parses back to it, always with a
/// '.' ("1.0", "0.1", "1.0e+300"), as MLIR's float syntax wants.
std::string exactFloat(double value);
} // namespace he

#endif // HE_DIALECT_HEFORMAT_H
