#include "lib/Analysis/DepthAnalysis.h"

#include "dialect/HeOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace he {
namespace {
bool isHeOp(Operation *op) { return isa<HeDialect>(op->getDialect()); }

// The operands a result's level comes from. A blend at either end of its
// schedule computes only the side it selects (its folder agrees).
SmallVector<Value> levelOperands(Operation *op) {
  if (auto blend = dyn_cast<BlendOp>(op)) {
    double lambda = blend.getLambda().convertToDouble();
    if (lambda == 1.0)
      return {blend.getTo()};
    if (lambda == 0.0)
      return {blend.getFrom()};
  }
  return llvm::to_vector(op->getOperands());
}

template <typename Pool> int64_t poolCost(Pool pool, const CostModel &model) {
  // A sum pool (its 1/k^2 moved downstream) multiplies by nothing.
  std::optional<uint64_t> divisor = pool.getDivisorOverride();
  return divisor && *divisor == 1 ? 0 : model.pool;
}
} // namespace

int64_t polyCost(ArrayRef<double> coeffs, bool trainable,
                 const CostModel &model) {
  size_t degree = coeffs.empty() ? 0 : coeffs.size() - 1;
  if (!trainable)
    while (degree > 0 && coeffs[degree] == 0.0)
      --degree;
  if (degree == 0)
    return 0;
  // Squarings build x^k in ceil(log2 k) levels; the lower coefficients
  // multiply lower powers in parallel, so only a non-unit leading one adds
  // a level (a*x^2 + b*x = x*(a*x + b)).
  int64_t levels = llvm::Log2_64_Ceil(degree) * model.mul;
  return levels + (coeffs[degree] == 1.0 ? 0 : model.scalar);
}

bool isNonPolynomialOp(Operation *op) {
  if (isa<ReluOp, MaxPool2dOp>(op))
    return true;
  if (auto blend = dyn_cast<BlendOp>(op)) {
    double lambda = blend.getLambda().convertToDouble();
    return lambda > 0.0 && lambda < 1.0;
  }
  return false;
}

std::optional<int64_t> opCost(Operation *op, const CostModel &model) {
  if (isNonPolynomialOp(op))
    return std::nullopt;
  if (isa<Conv2dOp>(op))
    return model.conv;
  if (isa<LinearOp>(op))
    return model.linear;
  if (isa<BatchNormOp>(op))
    return model.bn;
  if (auto pool = dyn_cast<AvgPool2dOp>(op))
    return poolCost(pool, model);
  if (auto pool = dyn_cast<GlobalAvgPool2dOp>(op))
    return poolCost(pool, model);
  if (auto poly = dyn_cast<PolyActOp>(op))
    return polyCost(poly.getCoeffs(), poly.getTrainable(), model);
  if (isa<AddOp>(op))
    return model.add;
  return 0;
}

DepthResult analyzeDepth(func::FuncOp func, const CostModel &model) {
  DepthResult result;
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
    SmallVector<Value> inputs = levelOperands(op);
    std::optional<int64_t> in = maxLevel(inputs);
    std::optional<int64_t> cost = opCost(op, model);
    std::optional<int64_t> out;
    if (in && cost)
      out = *in + *cost;
    for (Value r : op->getResults())
      levels[r] = out;
    if (isHeOp(op))
      result.ops.push_back({op, in, cost, out});
  });

  result.totalDepth = maxLevel(returned);

  // Ops whose result reaches a returned value through the operands that
  // define levels: only those can make the total unknown.
  llvm::DenseSet<Operation *> live;
  SmallVector<Value> worklist(returned);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val().getDefiningOp();
    if (!op || !live.insert(op).second)
      continue;
    llvm::append_range(worklist, levelOperands(op));
  }
  for (const OpDepth &d : result.ops) {
    if (!live.contains(d.op))
      continue;
    auto blend = dyn_cast<BlendOp>(d.op);
    bool selectsNonPolynomial = blend &&
                                blend.getLambda().convertToDouble() == 0.0 &&
                                !levelOf(blend.getFrom());
    if (isNonPolynomialOp(d.op) || selectsNonPolynomial)
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
