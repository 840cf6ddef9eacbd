#include "lib/Transforms/AbsorbScalars/ChannelScaling.h"

#include "dialect/ParamValues.h"
#include "lib/Transforms/Utils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

he::ParamOp he::exclusiveParam(Value value) {
  auto param = value.getDefiningOp<ParamOp>();
  if (!param || !value.hasOneUse())
    return {};
  return param;
}

bool he::hasParamValue(ParamOp param) {
  ElementsAttr value = param.getValueAttr();
  if (!value)
    return false;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return resource.getRawHandle().getBlob() != nullptr;
  return isa<DenseFPElementsAttr>(value);
}

std::optional<float> he::splatValue(ParamOp param) {
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(param.getValueAttr());
  if (!dense || !dense.isSplat())
    return std::nullopt;
  return dense.getSplatValue<APFloat>().convertToFloat();
}

static llvm::Error checkParam(Operation *op, Value value, StringRef what) {
  he::ParamOp param = he::exclusiveParam(value);
  if (!param)
    return he::cannotRewrite("the " + what + " of '" + he::layerName(op) +
                             "' is not a he.param used only there");
  if (!he::hasParamValue(param))
    return he::cannotRewrite("'" + param.getParamName() + "' has no value");
  // A rewrite may expand a splat: bound what it allocates.
  int64_t elements = cast<ShapedType>(param.getType()).getNumElements();
  if (elements > he::kMaxRewrittenElements)
    return he::cannotRewrite(
        "'" + param.getParamName() + "' has " + llvm::Twine(elements) +
        " elements, more than the " + llvm::Twine(he::kMaxRewrittenElements) +
        " (1 GiB of f32) a rewrite may materialise");
  return llvm::Error::success();
}

llvm::Error he::checkRewritableWeights(Operation *op) {
  if (llvm::Error why = checkParam(op, op->getOperand(1), "weight"))
    return why;
  if (op->getNumOperands() > 2)
    return checkParam(op, op->getOperand(2), "bias");
  return llvm::Error::success();
}

// A splat scaled by one uniform factor stays a splat: paper-size networks
// with splat test weights are rewritten without materialising them.
static bool scaleSplat(he::ParamOp weight, ArrayRef<double> factor) {
  std::optional<float> splat = splatValue(weight);
  if (!splat || !llvm::all_of(factor, [&](double s) { return s == factor[0]; }))
    return false;
  weight.setValueAttr(
      DenseElementsAttr::get(cast<ShapedType>(weight.getType()),
                             static_cast<float>(*splat * factor[0])));
  return true;
}

void he::scaleInputChannels(Operation *op, ArrayRef<double> factor) {
  auto weight = op->getOperand(1).getDefiningOp<ParamOp>();
  if (scaleSplat(weight, factor))
    return;
  std::vector<float> w = *readParamValue(weight);
  ArrayRef<int64_t> shape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t out = shape[0], in = shape[1];
  int64_t window = shape.size() == 4 ? shape[2] * shape[3] : 1;
  int64_t groups = 1;
  if (auto conv = dyn_cast<Conv2dOp>(op))
    groups = conv.getGroups();
  int64_t outPerGroup = out / groups;
  for (int64_t o = 0; o < out; ++o)
    for (int64_t c = 0; c < in; ++c) {
      double s = factor[(o / outPerGroup) * in + c];
      float *row = w.data() + (o * in + c) * window;
      for (int64_t k = 0; k < window; ++k)
        row[k] = static_cast<float>(row[k] * s);
    }
  writeParamValue(weight, w);
}

void he::scaleOutputChannels(ParamOp weight, ArrayRef<double> factor) {
  if (scaleSplat(weight, factor))
    return;
  std::vector<float> w = *readParamValue(weight);
  size_t perRow = w.size() / factor.size();
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<float>(w[i] * factor[i / perRow]);
  writeParamValue(weight, w);
}

std::string he::biasNameFor(ParamOp weight) {
  StringRef name = weight.getParamName();
  name.consume_back(".weight");
  return (name + ".bias").str();
}
