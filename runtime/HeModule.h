// A network in the he dialect as a LibTorch module: built from a `func.func`
// of he ops, trained with autograd, and written back into the IR.
//
//   mlir::func::FuncOp f = ...;           // one tensor argument, one result
//   auto net = std::make_shared<he::runtime::HeModule>(f);
//   net->to(torch::kCUDA);
//   torch::Tensor logits = net->forward(images);
//   ...train...
//   net->writeBack(f);                    // weights, coefficients, lambdas
#ifndef HE_RUNTIME_HEMODULE_H
#define HE_RUNTIME_HEMODULE_H

#include "runtime/Error.h"
#include "runtime/Plan.h"
#include "runtime/ReluFitOnInputs.h"

#include <torch/nn/module.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class Operation;
namespace func {
class FuncOp;
}
} // namespace mlir

namespace he {
class ParamOp;
class PolyActOp;
class BlendOp;
} // namespace he

namespace he::runtime {
/// The largest |activation| of one layer in the last forward.
struct LayerActivation {
  std::string label; ///< "conv1 (net.mlir:12:8)": layer name and location
  double maxAbs = 0; ///< NaN or inf when the activations were not finite
};

class HeModule : public torch::nn::Module {
public:
  /// Builds the module from `func`: one tensor argument (the images), one
  /// result (the logits), a body of he ops. Every he.param becomes a
  /// registered parameter (a buffer when marked `buffer`), loaded from its
  /// value or, without one, initialised as PyTorch initialises the same
  /// layer (conv/linear weight kaiming_uniform_(a = sqrt(5)), bias
  /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)); batch-norm weight 1, bias 0,
  /// running mean 0, running var 1; any other param zeros). Registered names
  /// are the IR names with '.' replaced by '_' (irName() maps back).
  /// Trainable he.poly_act coefficients are parameters named by the layer:
  /// "<layer>.coeffs". Throws Error naming the op and its location for
  /// anything it cannot execute.
  explicit HeModule(mlir::func::FuncOp func);

  /// Runs the network: dropout and batch statistics in train() mode only.
  torch::Tensor forward(const torch::Tensor &input);

  /// Re-estimating the batch-norm statistics with the weights fixed:
  /// begin() puts the module in eval mode and resets every batch norm's
  /// running mean to 0 and variance to 1; each forward until end() then
  /// normalises with its batch's statistics and leaves the running ones at
  /// the mean of those over the forwards so far. Dropout stays off, so the
  /// statistics are those of the inputs evaluation will see.
  void beginBatchNormReestimation();
  void endBatchNormReestimation();
  bool hasBatchNorm() const;
  /// Every batch norm's running mean and variance (the tensors themselves):
  /// what a forward in train() mode changes besides torch's generator.
  std::vector<torch::Tensor> batchNormStatistics() const;

  /// Fitting the trainable polynomials to ReLU (runtime/ReluFitOnInputs.h):
  /// begin() starts collecting, in each forward until end(), the inputs of
  /// every trainable he.poly_act (blended or not); end() sets each one's
  /// coefficients (all but the constant) to the least-squares fit of ReLU
  /// on its inputs and returns the fitted effective coefficients by
  /// "<layer>.coeffs" name. A polynomial whose inputs do not determine a
  /// fit keeps its coefficients and is left out. The caller chooses the
  /// mode and the images; begin() changes neither.
  void beginReluFit();
  std::vector<std::pair<std::string, std::vector<double>>> endReluFit();
  /// Drops what beginReluFit() collected and changes no coefficient (a fit
  /// stopped before its end).
  void abandonReluFit();
  bool hasTrainablePolynomials() const;

  /// Sets lambda on every he.blend whose `from` side is a he.relu.
  void setActivationLambda(double lambda);
  /// Sets lambda on every he.blend whose `from` side is a he.max_pool2d.
  void setPoolLambda(double lambda);
  /// The lambdas of the blends, in IR order.
  std::vector<double> blendLambdas() const;
  bool hasActivationBlends() const;
  bool hasPoolBlends() const;

  /// Scales s_k per power k for the trainable polynomials (the paper's
  /// appendix): the parameter then holds c_k / s_k and the activation uses
  /// s_k * param, which scales that coefficient's gradient step. Powers
  /// beyond `scales` keep scale 1. The effective coefficients are unchanged.
  void setCoefficientScales(const std::vector<double> &scales);

  /// The trainable polynomial coefficients (so an optimiser can give them
  /// their own learning rate) and every other trainable parameter.
  std::vector<torch::Tensor> coefficientParameters();
  std::vector<torch::Tensor> otherParameters();

  /// The effective coefficients (ascending powers) of every he.poly_act,
  /// trainable or not, by "<layer>.coeffs" name, in IR order.
  std::vector<std::pair<std::string, std::vector<double>>> coefficients() const;

  /// The IR name ("conv1.weight") of a registered parameter or buffer name
  /// ("conv1_weight"); the name itself when unknown.
  std::string irName(const std::string &registeredName) const;

  /// Records the max |activation| of every op's result in each forward (one
  /// reduction per op, read back lazily). Off by default.
  void setActivationTracking(bool on) { tracking_ = on; }
  /// Per op, in execution order, for the last forward with tracking on.
  std::vector<LayerActivation> activationStats() const;
  /// Calls `observer(i, result)` for the i-th step that is not a he.param
  /// (execution order, as activationStats() counts them) in every forward;
  /// an empty function turns it off. runtime/Calibrate.h uses it.
  using StepObserver = std::function<void(size_t, const torch::Tensor &)>;
  void setStepObserver(StepObserver observer) {
    observer_ = std::move(observer);
  }
  /// Calls `check` before each step of every forward and, where the forward
  /// records gradients, before each step's part of the backward pass (a
  /// hook on its result): a check that throws (runtime::Interrupted) stops
  /// a forward or backward in its middle. An empty function turns it off.
  void setInterruptCheck(std::function<void()> check) {
    check_ = std::move(check);
  }
  /// The number of steps an observer sees per forward.
  size_t observedStepCount() const { return statLabels_.size(); }
  /// The i-th observed step's layer: "conv1 (net.mlir:12:8)".
  const std::string &stepLabel(size_t i) const { return statLabels_.at(i); }
  /// The first layer of the last tracked forward whose activations are not
  /// finite or exceed `bound` (bound <= 0: only non-finite), or nullopt.
  std::optional<LayerActivation> firstDivergentLayer(double bound) const;

  /// Writes every param's current value (buffers included), every trainable
  /// polynomial's effective coefficients and every blend's lambda into
  /// `func`, which must be the func this module was built from (or a clone
  /// of it). Throws Error if its structure differs.
  void writeBack(mlir::func::FuncOp func);

private:
  // Construction (HeModuleBuild.cpp): the plan's ops into steps.
  void build(mlir::func::FuncOp func);
  void setUpParam(ParamOp param, Step &step);
  void setUpPoly(PolyActOp poly, Step &step);
  void setUpBlend(BlendOp blend, PolyActOp fusedPoly, Step &step);
  /// Throws Error naming `op` and its location.
  [[noreturn]] static void fail(mlir::Operation *op, const std::string &what);

  torch::Tensor execute(const Step &step, std::vector<torch::Tensor> &values);

  std::vector<Step> steps_;
  int numValues_ = 0;
  int result_ = -1;
  std::vector<PolyCoeffs> polys_;
  std::vector<BlendInfo> blends_;
  std::map<mlir::Operation *, int> polyIndex_;  // during build(): into polys_
  std::map<std::string, std::string> irNames_;  // registered -> IR
  std::map<std::string, torch::Tensor> params_; // IR name -> tensor
  bool tracking_ = false;
  StepObserver observer_;
  std::function<void()> check_;
  // By polynomial index, between beginReluFit() and endReluFit().
  std::vector<std::optional<ReluFitOnInputs>> fits_;
  bool reestimating_ = false;
  int64_t reestimatedForwards_ = 0;
  std::vector<std::string> statLabels_;
  torch::Tensor stats_; // [steps] max |activation| of the last forward
};
} // namespace he::runtime

#endif
