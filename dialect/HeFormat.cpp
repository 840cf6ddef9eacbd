#include "dialect/HeFormat.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;

std::string he::exactFloat(double value) {
  char buf[40];
  // The shortest %.{p}g that reads back; 17 digits always do.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value)
      break;
  }
  std::string text = buf;
  if (!std::isfinite(value) || text.find('.') != std::string::npos)
    return text;
  // MLIR's float literal needs a '.' before any exponent: 1e+300 -> 1.0e+300.
  size_t exponent = text.find('e');
  text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
  return text;
}

ParseResult he::parseCoeffs(OpAsmParser &parser, DenseF64ArrayAttr &coeffs) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square,
                                     [&]() -> ParseResult {
                                       double v;
                                       if (parser.parseFloat(v))
                                         return failure();
                                       values.push_back(v);
                                       return success();
                                     }))
    return failure();
  coeffs = DenseF64ArrayAttr::get(parser.getContext(), values);
  return success();
}

void he::printCoeffs(OpAsmPrinter &printer, Operation *,
                     DenseF64ArrayAttr coeffs) {
  printer << '[';
  llvm::interleaveComma(coeffs.asArrayRef(), printer,
                        [&](double v) { printer << exactFloat(v); });
  printer << ']';
}
