// A built HeModule's controls (lambdas, coefficient scales, parameter groups,
// activation statistics) and writing the trained values back into the IR.
// Building it is HeModuleBuild.cpp; running it, OpExec.cpp.
#include "runtime/HeModule.h"

#include "dialect/HeOps.h"
#include "dialect/ParamValues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <fmt/format.h>

using namespace mlir;
using torch::Tensor;

namespace he::runtime {
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
