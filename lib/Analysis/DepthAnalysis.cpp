#include "lib/Analysis/DepthAnalysis.h"
#include "lib/Analysis/LiveOps.h"

#include "dialect/HeOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace he {
namespace {
bool isHeOp(Operation *op) {
  return isa_and_nonnull<HeDialect>(op->getDialect());
}

// Levels `op` consumes: nullopt for a non-polynomial op; failure, after an
// error naming it, for an op that declares neither.
FailureOr<std::optional<int64_t>> opCost(Operation *op,
                                         const CostModel &model) {
  auto facts = dyn_cast<LevelCostOpInterface>(op);
  if (isPolynomialOp(op) && facts)
    return std::optional<int64_t>(facts.getLevelCost(model));
  if (isa<PolynomialOpInterface>(op) && !isPolynomialOp(op))
    return std::optional<int64_t>();
  return op->emitOpError()
         << "declares no multiplicative cost (he::LevelCostOpInterface): "
            "its depth is unknown";
}
} // namespace

FailureOr<DepthResult> analyzeDepth(func::FuncOp func, const CostModel &model) {
  DepthResult result;
  bool uncosted = false;
  // Values absent from the map (arguments, he.param) are at level 0.
  llvm::DenseMap<Value, std::optional<int64_t>> levels;
  auto levelOf = [&](Value v) -> std::optional<int64_t> {
    auto it = levels.find(v);
    return it == levels.end() ? std::optional<int64_t>(0) : it->second;
  };
  auto maxLevel = [&](ArrayRef<Value> values) -> std::optional<int64_t> {
    int64_t level = 0;
    for (Value v : values) {
      std::optional<int64_t> l = levelOf(v);
      if (!l)
        return std::nullopt;
      level = std::max(level, *l);
    }
    return level;
  };

  SmallVector<Value> returned;
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == func.getOperation() || isa<ParamOp>(op))
      return;
    if (isa<func::ReturnOp>(op)) {
      if (op->getParentOp() == func.getOperation())
        llvm::append_range(returned, op->getOperands());
      return;
    }
    if (op->getNumResults() == 0)
      return;
    SmallVector<Value> inputs = levelOperands(op);
    std::optional<int64_t> in = maxLevel(inputs);
    FailureOr<std::optional<int64_t>> cost = opCost(op, model);
    if (failed(cost)) {
      uncosted = true;
      return;
    }
    std::optional<int64_t> out;
    if (in && *cost)
      out = *in + **cost;
    for (Value r : op->getResults())
      levels[r] = out;
    if (isHeOp(op))
      result.ops.push_back({op, in, *cost, out});
  });
  if (uncosted)
    return failure();

  result.totalDepth = maxLevel(returned);

  // Ops whose result reaches a returned value through the operands that
  // define levels: only those can make the total unknown.
  llvm::DenseSet<Operation *> live = opsReaching(returned);
  // A non-polynomial op, or one (a blend at 0 or 1) that selects a side of
  // unknown level.
  auto unknownLevel = [&](Value v) { return !levelOf(v); };
  for (const OpDepth &d : result.ops) {
    auto facts = dyn_cast<PolynomialOpInterface>(d.op);
    if (live.contains(d.op) && facts && facts.whyNotPolynomial(unknownLevel))
      result.nonPolynomial.push_back(d.op);
  }

  if (!result.totalDepth || returned.empty())
    return result;
  // Walk back from the deepest returned value along its deepest operand.
  Value value = returned.front();
  for (Value v : returned)
    if (*levelOf(v) > *levelOf(value))
      value = v;
  while (Operation *op = value.getDefiningOp()) {
    if (isa<ParamOp>(op))
      break;
    if (isHeOp(op))
      result.criticalPath.push_back(op);
    SmallVector<Value> inputs = levelOperands(op);
    if (inputs.empty())
      break;
    value = inputs.front();
    for (Value v : inputs)
      if (*levelOf(v) > *levelOf(value))
        value = v;
  }
  std::reverse(result.criticalPath.begin(), result.criticalPath.end());
  return result;
}
} // namespace he
