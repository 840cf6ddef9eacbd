// Building a HeModule: the walk over the func's ops into an execution plan,
// the parameters (loaded or initialised as PyTorch would), and writing the
// trained values back into the IR.
#include "runtime/HeModule.h"

#include "dialect/HeOps.h"
#include "dialect/ParamValues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

#include <torch/nn/init.h>

#include <cmath>
#include <fmt/format.h>

using namespace mlir;
using torch::Tensor;

namespace he::runtime {
namespace {
// The op's line in its .mlir file; else its name: a zoo network's ops are
// all located at the experiment's model.name ("x.toml:0:0" when unwritten),
// which does not tell one layer from another.
std::string locationOf(Operation *op) {
  if (auto file = op->getLoc()->findInstanceOf<FileLineColLoc>())
    if (file.getLine() > 0 && !file.getFilename().strref().ends_with(".toml"))
      return fmt::format("{}:{}:{}", file.getFilename().str(), file.getLine(),
                         file.getColumn());
  return op->getName().getStringRef().str();
}

std::string labelOf(Operation *op) {
  return fmt::format("{} ({})", layerName(op), locationOf(op));
}

[[noreturn]] void fail(Operation *op, const std::string &what) {
  throw Error(fmt::format("{} '{}' at {}: {}",
                          op->getName().getStringRef().str(), layerName(op),
                          locationOf(op), what));
}

std::string sanitise(std::string name) {
  for (char &c : name)
    if (c == '.')
      c = '_';
  return name;
}

std::array<int64_t, 2> pair(ArrayRef<int64_t> v) { return {v[0], v[1]}; }
Padding pad4(ArrayRef<int64_t> v) { return {v[0], v[1], v[2], v[3]}; }
std::optional<int64_t> divisorOf(std::optional<uint64_t> d) {
  if (!d)
    return std::nullopt;
  return int64_t(*d);
}

// PyTorch's Conv2d and Linear: a Kaiming-uniform weight (a = sqrt(5)) and
// a bias uniform in +-1/sqrt(fan_in). False when `v` is neither.
bool initialiseLayerParam(Tensor &t, Value v, Value weight, Value bias) {
  if (weight == v) {
    torch::nn::init::kaiming_uniform_(t, std::sqrt(5.0));
    return true;
  }
  if (bias != v)
    return false;
  auto shape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t fanIn = 1;
  for (int64_t d : shape.drop_front())
    fanIn *= d;
  double bound = fanIn > 0 ? 1.0 / std::sqrt(double(fanIn)) : 0.0;
  t.uniform_(-bound, bound);
  return true;
}

// PyTorch's initial value of a param without one, found from the op that
// consumes it.
void initialise(Tensor &t, ParamOp param) {
  torch::NoGradGuard noGrad;
  Value v = param.getResult();
  for (Operation *user : v.getUsers()) {
    if (auto conv = dyn_cast<Conv2dOp>(user)) {
      if (initialiseLayerParam(t, v, conv.getWeight(), conv.getBias()))
        return;
      continue;
    }
    if (auto linear = dyn_cast<LinearOp>(user)) {
      if (initialiseLayerParam(t, v, linear.getWeight(), linear.getBias()))
        return;
      continue;
    }
    if (auto bn = dyn_cast<BatchNormOp>(user)) {
      if (bn.getWeight() == v || bn.getRunningVar() == v)
        t.fill_(1.0);
      else
        t.zero_();
      return;
    }
  }
  t.zero_();
}

// blend(relu(x), poly(x)): the fused kernel's pattern.
std::pair<ReluOp, PolyActOp> fusablePair(BlendOp blend) {
  auto relu = blend.getFrom().getDefiningOp<ReluOp>();
  auto poly = blend.getTo().getDefiningOp<PolyActOp>();
  if (relu && poly && relu.getInput() == poly.getInput())
    return {relu, poly};
  return {};
}
} // namespace

HeModule::HeModule(func::FuncOp func) { build(func); }

void HeModule::build(func::FuncOp func) {
  if (func.getNumArguments() != 1)
    fail(func, fmt::format("expects one argument (the images), got {}",
                           func.getNumArguments()));
  if (func.getNumResults() != 1)
    fail(func, fmt::format("expects one result (the logits), got {}",
                           func.getNumResults()));
  llvm::DenseMap<Value, int> numbers;
  numbers[func.getArgument(0)] = numValues_++;
  auto number = [&](Value v) { return numbers.at(v); };

  // Ops that only feed a fused blend need no step of their own.
  llvm::DenseSet<Operation *> fused;
  func.walk([&](BlendOp blend) {
    auto [relu, poly] = fusablePair(blend);
    if (!relu)
      return;
    if (relu->hasOneUse())
      fused.insert(relu);
    if (poly->hasOneUse())
      fused.insert(poly);
  });

  llvm::DenseMap<Operation *, int> polyIndex;
  for (Operation &opRef : func.getBody().front()) {
    Operation *op = &opRef;
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      result_ = number(ret.getOperand(0));
      break;
    }
    if (op->getNumResults() != 1 || !isa<HeDialect>(op->getDialect()))
      fail(op, "is not an op of the he dialect the runtime can execute");
    for (Value operand : op->getOperands())
      if (!numbers.count(operand))
        fail(op, "uses a value defined outside the func body");
    Step step;
    step.label = labelOf(op);
    for (Value operand : op->getOperands())
      step.inputs.push_back(number(operand));
    numbers[op->getResult(0)] = numValues_;
    step.output = numValues_++;

    if (auto param = dyn_cast<ParamOp>(op)) {
      step.kind = StepKind::Param;
      std::string name = param.getParamName().str();
      auto type = cast<RankedTensorType>(param.getType());
      if (!type.hasStaticShape())
        fail(op, "needs a static shape");
      std::vector<int64_t> shape(type.getShape().begin(),
                                 type.getShape().end());
      auto known = params_.find(name);
      if (known != params_.end()) {
        if (known->second.sizes() != torch::IntArrayRef(shape))
          fail(op, fmt::format("shares the name '{}' with a param of another "
                               "shape",
                               name));
        step.tensor = known->second;
        steps_.push_back(std::move(step));
        continue;
      }
      Tensor t;
      if (auto value = readParamValue(param))
        t = torch::tensor(*value, torch::kFloat).reshape(shape);
      else if (param.getValueAttr())
        fail(op, "has a value the runtime cannot read (expected f32 dense or "
                 "dense_resource)");
      else {
        t = torch::empty(shape, torch::kFloat);
        initialise(t, param);
      }
      std::string registered = sanitise(name);
      if (irNames_.count(registered))
        fail(op, fmt::format("name '{}' collides with another after '.' -> "
                             "'_'",
                             name));
      irNames_[registered] = name;
      step.tensor = param.getBuffer() ? register_buffer(registered, t)
                                      : register_parameter(registered, t, true);
      params_[name] = step.tensor;
      steps_.push_back(std::move(step));
      continue;
    }

    if (auto conv = dyn_cast<Conv2dOp>(op)) {
      step.kind = StepKind::Conv2d;
      step.stride = pair(conv.getStride());
      step.padding = pad4(conv.getPadding());
      step.groups = conv.getGroups();
    } else if (isa<LinearOp>(op)) {
      step.kind = StepKind::Linear;
    } else if (auto bn = dyn_cast<BatchNormOp>(op)) {
      step.kind = StepKind::BatchNorm;
      step.epsilon = bn.getEpsilon().convertToDouble();
      step.momentum = bn.getMomentum().convertToDouble();
    } else if (auto pool = dyn_cast<MaxPool2dOp>(op)) {
      step.kind = StepKind::MaxPool2d;
      step.kernel = pair(pool.getKernel());
      step.stride = pair(pool.getStride());
      step.padding = pad4(pool.getPadding());
      step.ceilMode = pool.getCeilMode();
    } else if (auto pool = dyn_cast<AvgPool2dOp>(op)) {
      step.kind = StepKind::AvgPool2d;
      step.kernel = pair(pool.getKernel());
      step.stride = pair(pool.getStride());
      step.padding = pad4(pool.getPadding());
      step.ceilMode = pool.getCeilMode();
      step.countIncludePad = pool.getCountIncludePad();
      step.divisor = divisorOf(pool.getDivisorOverride());
    } else if (auto pool = dyn_cast<GlobalAvgPool2dOp>(op)) {
      step.kind = StepKind::GlobalAvgPool2d;
      step.divisor = divisorOf(pool.getDivisorOverride());
    } else if (isa<ReluOp>(op)) {
      step.kind = StepKind::Relu;
    } else if (auto poly = dyn_cast<PolyActOp>(op)) {
      step.kind = StepKind::PolyAct;
      PolyCoeffs coeffs;
      coeffs.name = layerName(op) + ".coeffs";
      for (int n = 1; llvm::any_of(
               polys_,
               [&](const PolyCoeffs &p) { return p.name == coeffs.name; });
           ++n)
        coeffs.name = fmt::format("{}_{}.coeffs", layerName(op), n);
      std::vector<double> c(poly.getCoeffs().begin(), poly.getCoeffs().end());
      coeffs.trainable = poly.getTrainable();
      std::string registered = sanitise(coeffs.name);
      irNames_[registered] = coeffs.name;
      Tensor t = torch::tensor(c, torch::kDouble).to(torch::kFloat);
      if (coeffs.trainable) {
        coeffs.param = register_parameter(registered, t, true);
        // The paper's activation is a*x^2 + b*x: only the powers' coefficients
        // learn; the constant keeps its IR value (a zero gradient is a zero
        // Adam step, and the coefficient group has no weight decay).
        coeffs.param.register_hook([](Tensor g) {
          g = g.clone();
          g[0].zero_();
          return g;
        });
        coeffs.scale =
            register_buffer(registered + "_scale", torch::ones_like(t));
      } else {
        coeffs.param = register_buffer(registered, t);
      }
      step.poly = polys_.size();
      polyIndex[op] = step.poly;
      polys_.push_back(std::move(coeffs));
    } else if (auto blend = dyn_cast<BlendOp>(op)) {
      BlendInfo info;
      info.lambda = blend.getLambda().convertToDouble();
      Operation *from = blend.getFrom().getDefiningOp();
      if (from && isa<ReluOp>(from))
        info.side = BlendSide::Activation;
      else if (from && isa<MaxPool2dOp>(from))
        info.side = BlendSide::Pool;
      step.blend = blends_.size();
      blends_.push_back(info);
      step.kind = StepKind::Blend;
      if (auto [relu, poly] = fusablePair(blend); relu) {
        step.kind = StepKind::FusedBlend;
        step.inputs = {number(relu.getInput())};
        step.poly = polyIndex.at(poly);
      }
    } else if (isa<AddOp>(op)) {
      step.kind = StepKind::Add;
    } else if (auto concat = dyn_cast<ConcatOp>(op)) {
      step.kind = StepKind::Concat;
      step.axis = concat.getAxis();
    } else if (isa<FlattenOp>(op)) {
      step.kind = StepKind::Flatten;
    } else if (auto dropout = dyn_cast<DropoutOp>(op)) {
      step.kind = StepKind::Dropout;
      step.p = dropout.getP().convertToDouble();
    } else {
      fail(op, "has no runtime implementation");
    }
    if (!fused.count(op))
      steps_.push_back(std::move(step));
  }
  if (result_ < 0)
    fail(func, "has no func.return");

  // Each value is dropped after its last use, so that a forward keeps only
  // what autograd needs.
  std::vector<int> lastUse(numValues_, -1);
  for (size_t i = 0; i < steps_.size(); ++i) {
    for (int v : steps_[i].inputs)
      lastUse[v] = i;
    if (lastUse[steps_[i].output] < 0)
      lastUse[steps_[i].output] = i;
  }
  for (int v = 0; v < numValues_; ++v)
    if (v != result_ && lastUse[v] >= 0)
      steps_[lastUse[v]].release.push_back(v);
  for (const Step &s : steps_)
    if (s.kind != StepKind::Param)
      statLabels_.push_back(s.label);
}

namespace {
void checkLambda(double lambda) {
  if (!(lambda >= 0 && lambda <= 1))
    throw Error(fmt::format("blend lambda must be in [0, 1], got {}", lambda));
}
} // namespace

void HeModule::setActivationLambda(double lambda) {
  checkLambda(lambda);
  for (BlendInfo &b : blends_)
    if (b.side == BlendSide::Activation)
      b.lambda = lambda;
}

void HeModule::setPoolLambda(double lambda) {
  checkLambda(lambda);
  for (BlendInfo &b : blends_)
    if (b.side == BlendSide::Pool)
      b.lambda = lambda;
}

std::vector<double> HeModule::blendLambdas() const {
  std::vector<double> out;
  for (const BlendInfo &b : blends_)
    out.push_back(b.lambda);
  return out;
}

bool HeModule::hasActivationBlends() const {
  return llvm::any_of(blends_, [](const BlendInfo &b) {
    return b.side == BlendSide::Activation;
  });
}

bool HeModule::hasPoolBlends() const {
  return llvm::any_of(
      blends_, [](const BlendInfo &b) { return b.side == BlendSide::Pool; });
}

void HeModule::setCoefficientScales(const std::vector<double> &scales) {
  for (double s : scales)
    if (!std::isfinite(s) || s == 0)
      throw Error(fmt::format("coefficient scales must be finite and non-zero, "
                              "got {}",
                              s));
  torch::NoGradGuard noGrad;
  for (PolyCoeffs &p : polys_) {
    if (!p.trainable)
      continue;
    Tensor effective = p.param * p.scale;
    std::vector<double> s(p.param.numel(), 1.0);
    for (size_t k = 0; k < s.size() && k < scales.size(); ++k)
      s[k] = scales[k];
    p.scale.copy_(torch::tensor(s, torch::kDouble).to(p.scale.options()));
    p.param.copy_(effective / p.scale);
  }
}

std::vector<Tensor> HeModule::coefficientParameters() {
  std::vector<Tensor> out;
  for (PolyCoeffs &p : polys_)
    if (p.trainable)
      out.push_back(p.param);
  return out;
}

std::vector<Tensor> HeModule::otherParameters() {
  std::vector<Tensor> out;
  for (Tensor &t : parameters())
    if (llvm::none_of(polys_, [&](const PolyCoeffs &p) {
          return p.trainable && p.param.is_same(t);
        }))
      out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, std::vector<double>>>
HeModule::coefficients() const {
  torch::NoGradGuard noGrad;
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (const PolyCoeffs &p : polys_) {
    Tensor c = p.effective().to(torch::kCPU, torch::kDouble).contiguous();
    out.emplace_back(p.name,
                     std::vector<double>(c.data_ptr<double>(),
                                         c.data_ptr<double>() + c.numel()));
  }
  return out;
}

std::string HeModule::irName(const std::string &registeredName) const {
  auto it = irNames_.find(registeredName);
  return it == irNames_.end() ? registeredName : it->second;
}

std::vector<LayerActivation> HeModule::activationStats() const {
  std::vector<LayerActivation> out;
  if (!stats_.defined())
    return out;
  Tensor s = stats_.to(torch::kCPU, torch::kDouble).contiguous();
  for (size_t i = 0; i < statLabels_.size(); ++i)
    out.push_back({statLabels_[i], s.data_ptr<double>()[i]});
  return out;
}

std::optional<LayerActivation>
HeModule::firstDivergentLayer(double bound) const {
  for (const LayerActivation &a : activationStats())
    if (!std::isfinite(a.maxAbs) || (bound > 0 && a.maxAbs > bound))
      return a;
  return std::nullopt;
}

void HeModule::writeBack(func::FuncOp func) {
  torch::NoGradGuard noGrad;
  size_t poly = 0, blend = 0;
  Builder builder(func.getContext());
  func.walk([&](Operation *op) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      auto it = params_.find(param.getParamName().str());
      if (it == params_.end())
        fail(op, "is not a param of this module");
      Tensor t =
          it->second.detach().to(torch::kCPU, torch::kFloat).contiguous();
      if (t.numel() != cast<RankedTensorType>(param.getType()).getNumElements())
        fail(op, "has another shape than this module's param");
      writeParamValue(param, ArrayRef<float>(t.data_ptr<float>(), t.numel()));
    } else if (auto p = dyn_cast<PolyActOp>(op)) {
      if (poly >= polys_.size() || p.getTrainable() != polys_[poly].trainable ||
          int64_t(p.getCoeffs().size()) != polys_[poly].param.numel())
        fail(op, "does not match this module's polynomial activations");
      if (p.getTrainable()) {
        Tensor c = polys_[poly]
                       .effective()
                       .to(torch::kCPU, torch::kDouble)
                       .contiguous();
        p.setCoeffs(ArrayRef<double>(c.data_ptr<double>(), c.numel()));
      }
      ++poly;
    } else if (auto b = dyn_cast<BlendOp>(op)) {
      if (blend >= blends_.size())
        fail(op, "does not match this module's blends");
      b.setLambdaAttr(builder.getF64FloatAttr(blends_[blend++].lambda));
    }
  });
  if (poly != polys_.size() || blend != blends_.size())
    fail(func, "has fewer polynomial activations or blends than this module");
}
} // namespace he::runtime
