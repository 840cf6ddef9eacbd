// The he dialect's registration and the custom syntax of he.param.
#include "dialect/HeOps.h"

using namespace mlir;
using namespace he;

#include "dialect/HeDialect.cpp.inc"

#define GET_OP_CLASSES
#include "dialect/HeOps.cpp.inc"

void HeDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/HeOps.cpp.inc"
      >();
}

// he.param "name" [buffer] : type [= value-without-type]
// The value follows the type so that `dense<...>` and `dense_resource<...>`
// need not repeat it.
ParseResult ParamOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string name;
  if (parser.parseString(&name))
    return failure();
  result.addAttribute(getParamNameAttrName(result.name),
                      parser.getBuilder().getStringAttr(name));
  if (succeeded(parser.parseOptionalKeyword("buffer")))
    result.addAttribute(getBufferAttrName(result.name),
                        parser.getBuilder().getUnitAttr());
  Type type;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type))
    return failure();
  result.addTypes(type);
  if (succeeded(parser.parseOptionalEqual())) {
    Attribute value;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseAttribute(value, type))
      return failure();
    if (!isa<ElementsAttr>(value))
      return parser.emitError(loc, "expected a dense or dense_resource value");
    result.addAttribute(getValueAttrName(result.name), value);
  }
  return success();
}

void ParamOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printAttribute(getParamNameAttr());
  if (getBuffer())
    p << " buffer";
  p.printOptionalAttrDict(
      (*this)->getAttrs(),
      {getParamNameAttrName(), getBufferAttrName(), getValueAttrName()});
  p << " : " << getType();
  if (auto value = getValueAttr()) {
    p << " = ";
    p.printAttributeWithoutType(value);
  }
}

std::string he::layerName(Operation *op) {
  if (auto param = dyn_cast<ParamOp>(op))
    return param.getParamName().str();
  if (auto name = op->getAttrOfType<StringAttr>("name"))
    return name.str();
  if (op->getNumOperands() > 1)
    if (auto param = op->getOperand(1).getDefiningOp<ParamOp>()) {
      StringRef key = param.getParamName();
      key.consume_back(".weight");
      return key.str();
    }
  return op->getName().stripDialect().str();
}
