// Building a HeModule: the LibTorch-free plan of the func
// (lib/Analysis/ExecutionPlan.h) turned into steps, one small function per
// op, and the parameters loaded or initialised as PyTorch would.
#include "runtime/HeModule.h"

#include "dialect/HeOps.h"
#include "dialect/ParamValues.h"
#include "lib/Analysis/ExecutionPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <torch/nn/init.h>

#include <cmath>
#include <fmt/format.h>

using namespace mlir;
using torch::Tensor;

namespace he::runtime {
[[noreturn]] void HeModule::fail(Operation *op, const std::string &what) {
  throw Error(describeOp(op, what));
}

namespace {
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

// The ops whose step needs nothing but their attributes.
void setUp(Conv2dOp conv, Step &step) {
  step.kind = StepKind::Conv2d;
  step.stride = pair(conv.getStride());
  step.padding = pad4(conv.getPadding());
  step.groups = conv.getGroups();
}

void setUp(LinearOp, Step &step) { step.kind = StepKind::Linear; }

void setUp(BatchNormOp bn, Step &step) {
  step.kind = StepKind::BatchNorm;
  step.epsilon = bn.getEpsilon().convertToDouble();
  step.momentum = bn.getMomentum().convertToDouble();
}

template <typename Pool> void setUpWindow(Pool pool, Step &step) {
  step.kernel = pair(pool.getKernel());
  step.stride = pair(pool.getStride());
  step.padding = pad4(pool.getPadding());
  step.ceilMode = pool.getCeilMode();
}

void setUp(MaxPool2dOp pool, Step &step) {
  step.kind = StepKind::MaxPool2d;
  setUpWindow(pool, step);
}

void setUp(AvgPool2dOp pool, Step &step) {
  step.kind = StepKind::AvgPool2d;
  setUpWindow(pool, step);
  step.countIncludePad = pool.getCountIncludePad();
  step.divisor = divisorOf(pool.getDivisorOverride());
}

void setUp(GlobalAvgPool2dOp pool, Step &step) {
  step.kind = StepKind::GlobalAvgPool2d;
  step.divisor = divisorOf(pool.getDivisorOverride());
}

void setUp(ReluOp, Step &step) { step.kind = StepKind::Relu; }
void setUp(AddOp, Step &step) { step.kind = StepKind::Add; }

void setUp(ConcatOp concat, Step &step) {
  step.kind = StepKind::Concat;
  step.axis = concat.getAxis();
}

void setUp(FlattenOp, Step &step) { step.kind = StepKind::Flatten; }

void setUp(DropoutOp dropout, Step &step) {
  step.kind = StepKind::Dropout;
  step.p = dropout.getP().convertToDouble();
}
} // namespace

HeModule::HeModule(func::FuncOp func) { build(func); }

void HeModule::build(func::FuncOp func) {
  llvm::Expected<ExecutionPlan> plan = planExecution(func);
  if (!plan)
    throw Error(llvm::toString(plan.takeError()));
  numValues_ = plan->numValues;
  result_ = plan->result;
  for (const PlannedOp &planned : plan->ops) {
    Step step;
    step.label = opLabel(planned.op);
    step.inputs = planned.inputs;
    step.output = planned.output;
    step.release = planned.release;
    llvm::TypeSwitch<Operation *>(planned.op)
        .Case([&](ParamOp op) { setUpParam(op, step); })
        .Case([&](PolyActOp op) { setUpPoly(op, step); })
        .Case([&](BlendOp op) { setUpBlend(op, planned.fusedPoly, step); })
        .Case<Conv2dOp, LinearOp, BatchNormOp, MaxPool2dOp, AvgPool2dOp,
              GlobalAvgPool2dOp, ReluOp, AddOp, ConcatOp, FlattenOp, DropoutOp>(
            [&](auto op) { setUp(op, step); })
        .Default(
            [&](Operation *op) { fail(op, "has no runtime implementation"); });
    if (!planned.insideFusedBlend)
      steps_.push_back(std::move(step));
  }
  polyIndex_.clear();
  for (const Step &s : steps_)
    if (s.kind != StepKind::Param)
      statLabels_.push_back(s.label);
}

// A registered parameter (a buffer when marked `buffer`), loaded from the
// IR's value or initialised as PyTorch would; a second param of the same
// name shares the first one's tensor.
void HeModule::setUpParam(ParamOp param, Step &step) {
  step.kind = StepKind::Param;
  std::string name = param.getParamName().str();
  auto type = cast<RankedTensorType>(param.getType());
  if (!type.hasStaticShape())
    fail(param, "needs a static shape");
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  auto known = params_.find(name);
  if (known != params_.end()) {
    if (known->second.sizes() != torch::IntArrayRef(shape))
      fail(param,
           fmt::format("shares the name '{}' with a param of another shape",
                       name));
    step.tensor = known->second;
    return;
  }
  Tensor t;
  if (auto value = readParamValue(param))
    t = torch::tensor(*value, torch::kFloat).reshape(shape);
  else if (param.getValueAttr())
    fail(param, "has a value the runtime cannot read (expected f32 dense or "
                "dense_resource)");
  else {
    t = torch::empty(shape, torch::kFloat);
    initialise(t, param);
  }
  std::string registered = sanitise(name);
  if (irNames_.count(registered))
    fail(param,
         fmt::format("name '{}' collides with another after '.' -> '_'", name));
  irNames_[registered] = name;
  step.tensor = param.getBuffer() ? register_buffer(registered, t)
                                  : register_parameter(registered, t, true);
  params_[name] = step.tensor;
}

// The coefficients: a parameter "<layer>.coeffs" when trainable, else a
// buffer.
void HeModule::setUpPoly(PolyActOp poly, Step &step) {
  step.kind = StepKind::PolyAct;
  PolyCoeffs coeffs;
  coeffs.name = layerName(poly) + ".coeffs";
  for (int n = 1; llvm::any_of(
           polys_, [&](const PolyCoeffs &p) { return p.name == coeffs.name; });
       ++n)
    coeffs.name = fmt::format("{}_{}.coeffs", layerName(poly), n);
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
    coeffs.scale = register_buffer(registered + "_scale", torch::ones_like(t));
  } else {
    coeffs.param = register_buffer(registered, t);
  }
  step.poly = polys_.size();
  polyIndex_[poly] = step.poly;
  polys_.push_back(std::move(coeffs));
}

// A blend's lambda, set per epoch by the side it replaces; a fused one runs
// its poly_act's coefficients.
void HeModule::setUpBlend(BlendOp blend, PolyActOp fusedPoly, Step &step) {
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
  if (fusedPoly) {
    step.kind = StepKind::FusedBlend;
    step.poly = polyIndex_.at(fusedPoly);
  }
}
} // namespace he::runtime
