#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h"
#include "dialect/ParamValues.h"
#include "lib/Transforms/AbsorbScalars/ChannelScaling.h"
#include "lib/Transforms/Utils.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;

namespace he {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h.inc"

namespace {
// A conv2d or linear reading the batch-norm's result as its input, through
// dropouts and flattens: `perChannel` inputs of it (features after a
// flatten) come from each batch-norm channel.
struct Consumer {
  Operation *op;
  int64_t perChannel;
};

// How one batch-norm `y = scale·x + shift` folds: into `producer`
// (backward), or else into `consumers` (forward). Everything is checked
// before anything changes, so a module with one unfoldable batch-norm stays
// as it was.
struct Plan {
  BatchNormOp bn;
  std::vector<double> scale, shift;
  Operation *producer = nullptr;
  SmallVector<Consumer> consumers;
};

std::string quoted(Operation *op) {
  return "'" + op->getName().getStringRef().str() + "'";
}

bool hasPadding(Operation *op) {
  auto conv = dyn_cast<Conv2dOp>(op);
  return conv && llvm::any_of(conv.getPadding(), [](int64_t p) { return p; });
}

// Reads the four parameters into `plan.scale` and `plan.shift`.
llvm::Error computeScaleShift(Plan &plan) {
  BatchNormOp bn = plan.bn;
  std::vector<float> values[4];
  StringRef roles[4] = {"weight", "bias", "running_mean", "running_var"};
  Value operands[4] = {bn.getWeight(), bn.getBias(), bn.getRunningMean(),
                       bn.getRunningVar()};
  for (int i = 0; i < 4; ++i) {
    auto param = operands[i].getDefiningOp<ParamOp>();
    if (!param)
      return cannotRewrite(roles[i] + " is not a he.param");
    if (cast<ShapedType>(param.getType()).getNumElements() >
        kMaxRewrittenElements)
      return cannotRewrite(roles[i] + " has more than " +
                           llvm::Twine(kMaxRewrittenElements) + " elements");
    std::optional<std::vector<float>> v = readParamValue(param);
    if (!v)
      return cannotRewrite(roles[i] + " has no value");
    values[i] = std::move(*v);
  }
  double eps = bn.getEpsilon().convertToDouble();
  for (size_t c = 0; c < values[0].size(); ++c) {
    double var = values[3][c] + eps;
    if (!(var > 0))
      return cannotRewrite(
          "running_var + epsilon is not positive for channel " +
          llvm::Twine(c));
    double s = values[0][c] / std::sqrt(var);
    plan.scale.push_back(s);
    plan.shift.push_back(values[1][c] - values[2][c] * s);
  }
  return llvm::Error::success();
}

llvm::Error checkBackward(Plan &plan) {
  Value input = plan.bn.getInput();
  Operation *producer = input.getDefiningOp();
  if (!producer)
    return cannotRewrite("its input is a block argument");
  if (!isa<Conv2dOp, LinearOp>(producer))
    return cannotRewrite("its input comes from " + quoted(producer));
  if (!input.hasOneUse())
    return cannotRewrite("the result of '" + layerName(producer) +
                         "' has other users");
  if (llvm::Error why = checkRewritableWeights(producer))
    return why;
  plan.producer = producer;
  return llvm::Error::success();
}

llvm::Error checkForward(Plan &plan) {
  SmallVector<Consumer> consumers;
  SmallVector<std::pair<Value, int64_t>> work = {{plan.bn.getResult(), 1}};
  while (!work.empty()) {
    auto [value, perChannel] = work.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<DropoutOp>(user)) {
        work.push_back({user->getResult(0), perChannel});
        continue;
      }
      if (auto flatten = dyn_cast<FlattenOp>(user)) {
        int64_t inner = 1;
        for (int64_t d :
             cast<RankedTensorType>(value.getType()).getShape().drop_front(2))
          inner = ShapedType::isDynamic(d) ? d : inner * d;
        if (ShapedType::isDynamic(inner))
          return cannotRewrite("'" + layerName(user) +
                               "' flattens a dynamic shape");
        work.push_back({flatten.getResult(), perChannel * inner});
        continue;
      }
      if (!isa<Conv2dOp, LinearOp>(user) || use.getOperandNumber() != 0)
        return cannotRewrite("its result feeds " + quoted(user) +
                             ", not the input of a he.conv2d or he.linear");
      if (llvm::Error why = checkRewritableWeights(user))
        return why;
      // Padding zeros stay zeros only if the shift moves before the conv
      // as t/s, which needs s != 0 wherever t != 0.
      if (hasPadding(user))
        for (size_t c = 0; c < plan.scale.size(); ++c)
          if (plan.scale[c] == 0 && plan.shift[c] != 0)
            return cannotRewrite(
                "channel " + llvm::Twine(c) +
                " has scale 0 and a nonzero shift, which the padding of '" +
                layerName(user) + "' would change");
      consumers.push_back({user, perChannel});
    }
  }
  plan.consumers = std::move(consumers);
  return llvm::Error::success();
}

// The checks' reasons become the pass's diagnostic here, and only here.
LogicalResult makePlan(Plan &plan) {
  auto fail = [&](const std::string &why) {
    return plan.bn.emitError() << "cannot fold 'he.batch_norm' (layer "
                               << layerName(plan.bn) << "): " << why;
  };
  if (llvm::Error why = computeScaleShift(plan))
    return fail(llvm::toString(std::move(why)));
  llvm::Error backward = checkBackward(plan);
  if (!backward)
    return success();
  // Folding forward is the fallback: the backward reason matters only when
  // it fails too.
  llvm::Error forward = checkForward(plan);
  std::string backwardWhy = llvm::toString(std::move(backward));
  if (!forward)
    return success();
  return fail(backwardWhy + ", and " + llvm::toString(std::move(forward)));
}

ParamOp getOrCreateBias(Operation *op) {
  if (op->getNumOperands() > 2)
    return op->getOperand(2).getDefiningOp<ParamOp>();
  auto weight = op->getOperand(1).getDefiningOp<ParamOp>();
  int64_t out = cast<RankedTensorType>(weight.getType()).getDimSize(0);
  OpBuilder b(weight);
  b.setInsertionPointAfter(weight);
  auto bias = b.create<ParamOp>(
      weight.getLoc(), RankedTensorType::get({out}, b.getF32Type()),
      biasNameFor(weight), ElementsAttr(), /*buffer=*/false);
  writeParamValue(bias, std::vector<float>(out, 0.0f));
  if (auto conv = dyn_cast<Conv2dOp>(op))
    conv.getBiasMutable().assign(bias);
  else
    cast<LinearOp>(op).getBiasMutable().assign(bias);
  return bias;
}

// y = s·(W x + b) + t = (s·W) x + (s·b + t), s per output channel.
void foldBackward(const Plan &plan) {
  Operation *op = plan.producer;
  auto weight = op->getOperand(1).getDefiningOp<ParamOp>();
  scaleOutputChannels(weight, plan.scale);
  ParamOp biasParam = getOrCreateBias(op);
  std::vector<float> bias = *readParamValue(biasParam);
  for (size_t o = 0; o < bias.size(); ++o)
    bias[o] = static_cast<float>(plan.scale[o] * bias[o] + plan.shift[o]);
  writeParamValue(biasParam, bias);
}

// The shift before a padded conv: x + t/s, then the conv scaled by s.
void insertShift(const Plan &plan, Conv2dOp conv, int index) {
  size_t channels = plan.scale.size();
  std::vector<float> values(channels);
  for (size_t c = 0; c < channels; ++c)
    values[c] = plan.scale[c] == 0
                    ? 0.0f
                    : static_cast<float>(plan.shift[c] / plan.scale[c]);
  BatchNormOp bn = plan.bn;
  std::string name = layerName(bn) + ".shift";
  if (index > 0)
    name += "." + std::to_string(index);
  OpBuilder b(conv);
  auto type = RankedTensorType::get({(int64_t)channels, 1, 1}, b.getF32Type());
  auto param = b.create<ParamOp>(bn.getLoc(), type, name, ElementsAttr(),
                                 /*buffer=*/true);
  writeParamValue(param, values);
  Value input = conv.getInput();
  auto add = b.create<AddOp>(bn.getLoc(), input.getType(), input, param,
                             b.getStringAttr(name));
  conv.getInputMutable().assign(add);
}

// Σ W[o, c, ...]·t[c] per output channel o of the conv2d or linear `op`.
std::vector<double> weightedShift(Operation *op, ArrayRef<double> shift) {
  auto weight = op->getOperand(1).getDefiningOp<ParamOp>();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t out = shape[0], in = shape[1];
  int64_t window = shape.size() == 4 ? shape[2] * shape[3] : 1;
  int64_t outPerGroup = out / (shift.size() / in);
  std::vector<double> delta(out, 0.0);
  if (std::optional<float> splat = splatValue(weight)) {
    for (int64_t o = 0; o < out; ++o) {
      double sum = 0;
      for (int64_t c = 0; c < in; ++c)
        sum += shift[(o / outPerGroup) * in + c];
      delta[o] = *splat * window * sum;
    }
    return delta;
  }
  std::vector<float> w = *readParamValue(weight);
  for (int64_t o = 0; o < out; ++o)
    for (int64_t c = 0; c < in; ++c) {
      double t = shift[(o / outPerGroup) * in + c];
      for (int64_t k = 0; k < window; ++k)
        delta[o] += w[(o * in + c) * window + k] * t;
    }
  return delta;
}

// W·(s·x + t) + b = (W·s) x + (W·t + b), s and t per input channel; a
// padded conv keeps t as an addition before it.
void foldForward(const Plan &plan) {
  int shifts = 0;
  bool anyShift = llvm::any_of(plan.shift, [](double t) { return t != 0; });
  for (const Consumer &consumer : plan.consumers) {
    Operation *op = consumer.op;
    size_t inputs = plan.scale.size() * consumer.perChannel;
    std::vector<double> scale(inputs), shift(inputs);
    for (size_t i = 0; i < inputs; ++i) {
      scale[i] = plan.scale[i / consumer.perChannel];
      shift[i] = plan.shift[i / consumer.perChannel];
    }
    if (hasPadding(op)) {
      if (anyShift)
        insertShift(plan, cast<Conv2dOp>(op), shifts++);
    } else if (anyShift) {
      std::vector<double> delta = weightedShift(op, shift);
      ParamOp biasParam = getOrCreateBias(op);
      std::vector<float> bias = *readParamValue(biasParam);
      for (size_t o = 0; o < bias.size(); ++o)
        bias[o] = static_cast<float>(bias[o] + delta[o]);
      writeParamValue(biasParam, bias);
    }
    scaleInputChannels(op, scale);
  }
}

struct FoldBatchNorm : impl::FoldBatchNormBase<FoldBatchNorm> {
  void runOnOperation() override {
    SmallVector<Plan> plans;
    bool failed = false;
    getOperation()->walk([&](BatchNormOp bn) {
      Plan plan;
      plan.bn = bn;
      if (mlir::failed(makePlan(plan)))
        failed = true;
      else
        plans.push_back(std::move(plan));
    });
    if (failed)
      return signalPassFailure();
    for (Plan &plan : plans) {
      if (plan.producer)
        foldBackward(plan);
      else
        foldForward(plan);
      BatchNormOp bn = plan.bn;
      llvm::SmallSetVector<Operation *, 4> params;
      for (Value v : bn->getOperands().drop_front())
        params.insert(v.getDefiningOp());
      bn.replaceAllUsesWith(bn.getInput());
      bn.erase();
      for (Operation *param : params)
        if (param->use_empty())
          param->erase();
    }
  }
};
} // namespace
} // namespace he
