#include "lib/Frontend/NetBuilder.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace he;
using namespace he::frontend;
using llvm::StringRef;

namespace {
constexpr int64_t kDyn = ShapedType::kDynamic;

std::string join(StringRef key, StringRef leaf) {
  return (key + "." + leaf).str();
}
} // namespace

NetBuilder::NetBuilder(MLIRContext &context, Location loc, StringRef model,
                       ArrayRef<int64_t> inputShape)
    : builder(&context), loc(loc), model(model.str()) {
  context.loadDialect<HeDialect, func::FuncDialect>();
  module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<int64_t> shape = {kDyn};
  shape.append(inputShape.begin(), inputShape.end());
  forward = builder.create<func::FuncOp>(
      loc, "forward", builder.getFunctionType({tensor(shape)}, {}));
  Block *body = forward.addEntryBlock();
  builder.setInsertionPointToStart(body);
  inputValue = body->getArgument(0);
}

RankedTensorType NetBuilder::tensor(ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, builder.getF32Type());
}

ArrayRef<int64_t> NetBuilder::shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

Value NetBuilder::param(StringRef key, ArrayRef<int64_t> shape, bool buffer) {
  return builder.create<ParamOp>(loc, tensor(shape), key, ElementsAttr(),
                                 buffer);
}

int64_t NetBuilder::window(int64_t in, int64_t kernel, int64_t stride,
                           int64_t padding, bool ceilMode, StringRef name) {
  int64_t span = in + 2 * padding - kernel;
  int64_t out = 0;
  if (span >= 0) {
    out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
    // PyTorch drops a last window that would start in the right padding.
    if (ceilMode && (out - 1) * stride >= in + padding)
      --out;
  }
  if (out < 1 && !failed) {
    emitError(loc) << "the images are too small for " << model
                   << ": the feature map vanishes at layer '" << name
                   << "' (a window of " << kernel << " over " << in
                   << " values)";
    failed = true;
  }
  return out;
}

Value NetBuilder::conv(Value x, StringRef key, StringRef name,
                       int64_t outChannels, int64_t kernel, int64_t stride,
                       int64_t padding) {
  if (failed)
    return x;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t h = window(in[2], kernel, stride, padding, false, name);
  int64_t w = window(in[3], kernel, stride, padding, false, name);
  if (failed)
    return x;
  Value weight =
      param(join(key, "weight"), {outChannels, in[1], kernel, kernel});
  Value bias = param(join(key, "bias"), {outChannels});
  return builder.create<Conv2dOp>(
      loc, tensor({in[0], outChannels, h, w}), x, weight, bias,
      ArrayRef<int64_t>{stride, stride},
      ArrayRef<int64_t>{padding, padding, padding, padding}, /*groups=*/1,
      builder.getStringAttr(name));
}

Value NetBuilder::linear(Value x, StringRef key, StringRef name,
                         int64_t outFeatures) {
  if (failed)
    return x;
  ArrayRef<int64_t> in = shapeOf(x);
  Value weight = param(join(key, "weight"), {outFeatures, in[1]});
  Value bias = param(join(key, "bias"), {outFeatures});
  return builder.create<LinearOp>(loc, tensor({in[0], outFeatures}), x, weight,
                                  bias, builder.getStringAttr(name));
}

Value NetBuilder::batchNorm(Value x, StringRef key, StringRef name) {
  if (failed)
    return x;
  int64_t channels = shapeOf(x)[1];
  Value weight = param(join(key, "weight"), {channels});
  Value bias = param(join(key, "bias"), {channels});
  Value mean = param(join(key, "running_mean"), {channels}, /*buffer=*/true);
  Value var = param(join(key, "running_var"), {channels}, /*buffer=*/true);
  return builder.create<BatchNormOp>(
      loc, x.getType(), x, weight, bias, mean, var, llvm::APFloat(1e-5),
      llvm::APFloat(0.1), builder.getStringAttr(name));
}

Value NetBuilder::relu(Value x, StringRef name) {
  if (failed)
    return x;
  return builder.create<ReluOp>(loc, x.getType(), x,
                                builder.getStringAttr(name));
}

Value NetBuilder::maxPool(Value x, StringRef name, int64_t kernel,
                          int64_t stride, bool ceilMode) {
  if (failed)
    return x;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t h = window(in[2], kernel, stride, 0, ceilMode, name);
  int64_t w = window(in[3], kernel, stride, 0, ceilMode, name);
  if (failed)
    return x;
  return builder.create<MaxPool2dOp>(
      loc, tensor({in[0], in[1], h, w}), x, ArrayRef<int64_t>{kernel, kernel},
      ArrayRef<int64_t>{stride, stride}, ArrayRef<int64_t>{0, 0, 0, 0},
      ceilMode, builder.getStringAttr(name));
}

Value NetBuilder::globalAvgPool(Value x, StringRef name) {
  if (failed)
    return x;
  ArrayRef<int64_t> in = shapeOf(x);
  return builder.create<GlobalAvgPool2dOp>(loc, tensor({in[0], in[1], 1, 1}), x,
                                           IntegerAttr(),
                                           builder.getStringAttr(name));
}

Value NetBuilder::dropout(Value x, StringRef name, double p) {
  if (failed)
    return x;
  return builder.create<DropoutOp>(loc, x.getType(), x, llvm::APFloat(p),
                                   builder.getStringAttr(name));
}

Value NetBuilder::flatten(Value x, StringRef name) {
  if (failed)
    return x;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t features = 1;
  for (int64_t d : in.drop_front())
    features *= d;
  return builder.create<FlattenOp>(loc, tensor({in[0], features}), x,
                                   builder.getStringAttr(name));
}

Value NetBuilder::concat(ValueRange xs, StringRef name) {
  if (failed)
    return xs.front();
  SmallVector<int64_t> shape(shapeOf(xs.front()));
  shape[1] = 0;
  for (Value x : xs)
    shape[1] += shapeOf(x)[1];
  return builder.create<ConcatOp>(loc, tensor(shape), xs, /*axis=*/1,
                                  builder.getStringAttr(name));
}

OwningOpRef<ModuleOp> NetBuilder::finish(Value result) {
  if (failed)
    return nullptr;
  builder.create<func::ReturnOp>(loc, result);
  forward.setFunctionType(
      builder.getFunctionType(forward.getArgumentTypes(), {result.getType()}));
  return std::move(module);
}
