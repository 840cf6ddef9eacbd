// The part of executing a he function that needs no tensor library: its SSA
// values numbered, its ops in the order they run, the fused
// blend(relu(x), poly(x)) pairs found, and when each value dies. The
// runtime's HeModule turns it into LibTorch steps (runtime/Plan.h); an
// exporter can walk the same plan.
#ifndef HE_ANALYSIS_EXECUTIONPLAN_H
#define HE_ANALYSIS_EXECUTIONPLAN_H

#include "dialect/HeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace he {
/// One op of the function body, in program order.
struct PlannedOp {
  mlir::Operation *op = nullptr;
  /// Value numbers of its operands; for a fused blend, {x} alone.
  std::vector<int> inputs;
  /// Value number of its result.
  int output = -1;
  /// A relu or poly_act whose only use is a fused blend: it runs inside that
  /// blend and needs no step of its own.
  bool insideFusedBlend = false;
  /// For a fused blend, its poly_act (null otherwise).
  PolyActOp fusedPoly;
  /// Values dead after this op (ops with a step of their own only): a
  /// forward need keep only what autograd needs.
  std::vector<int> release;
};

struct ExecutionPlan {
  /// Values are numbered from 0, the function's argument.
  int numValues = 0;
  /// The number of the returned value.
  int result = -1;
  std::vector<PlannedOp> ops;
};

/// blend(relu(x), poly(x)) with the same x: the pair the runtime runs as one
/// kernel; {null, null} for any other blend.
std::pair<ReluOp, PolyActOp> fusablePair(BlendOp blend);

/// Plans `func`: one argument (the images), one result (the logits), a body
/// of single-result he ops ending in func.return. An error names the op
/// that breaks this and its location (describeOp).
llvm::Expected<ExecutionPlan> planExecution(mlir::func::FuncOp func);

/// "file:line:col" of the first file location in `op`'s, else the location
/// as MLIR prints it.
std::string opLocation(mlir::Operation *op);

/// "conv1 (file.mlir:3:5)": the layer name and location, for messages that
/// point at a layer.
std::string opLabel(mlir::Operation *op);

/// "he.conv2d 'conv1' at file.mlir:3:5: what".
std::string describeOp(mlir::Operation *op, const std::string &what);
} // namespace he

#endif
