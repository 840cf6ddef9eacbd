// The execution plan of a HeModule (internal to the runtime): the func's ops,
// walked once, as steps over a vector of values indexed by SSA number, so
// that forward() never looks at MLIR.
#ifndef HE_RUNTIME_PLAN_H
#define HE_RUNTIME_PLAN_H

#include "runtime/Ops.h"

#include <torch/types.h>

#include <optional>
#include <string>
#include <vector>

namespace he::runtime {
enum class StepKind {
  Param,
  Conv2d,
  Linear,
  BatchNorm,
  MaxPool2d,
  AvgPool2d,
  GlobalAvgPool2d,
  Relu,
  PolyAct,
  Blend,
  FusedBlend, // blend(relu(x), poly(x)) in one kernel; inputs = {x}
  Add,
  Concat,
  Flatten,
  Dropout,
};

/// A polynomial activation's coefficients. Trainable ones are parameters
/// holding c / scale; the activation uses scale * param.
struct PolyCoeffs {
  std::string name;    // layer name + ".coeffs"
  torch::Tensor param; // trainable: a registered parameter; else a buffer
  torch::Tensor scale; // per power, same length; ones by default
  bool trainable = false;
  torch::Tensor effective() const { return trainable ? param * scale : param; }
};

struct Step {
  StepKind kind;
  std::vector<int> inputs; // value numbers
  int output = -1;
  std::string label; // "conv1 (file.mlir:3:5)": for divergence messages
  // Param
  torch::Tensor tensor;
  // Window ops
  std::array<int64_t, 2> kernel{1, 1}, stride{1, 1};
  Padding padding{0, 0, 0, 0};
  int64_t groups = 1;
  bool ceilMode = false, countIncludePad = true;
  std::optional<int64_t> divisor;
  // BatchNorm
  double epsilon = 1e-5, momentum = 0.1;
  // Dropout p; Concat axis
  double p = 0;
  int64_t axis = 1;
  // PolyAct / FusedBlend: index into HeModule's polys; Blend/FusedBlend:
  // index into the blend lambdas.
  int poly = -1, blend = -1;
  std::vector<int> release; // values dead after this step
};

enum class BlendSide { Activation, Pool, Other };

struct BlendInfo {
  double lambda = 0;
  BlendSide side = BlendSide::Other;
};
} // namespace he::runtime

#endif
