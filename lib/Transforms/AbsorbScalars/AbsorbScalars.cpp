#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h"
#include "dialect/ParamValues.h"
#include "lib/Transforms/AbsorbScalars/ChannelScaling.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir;

namespace he {
#define GEN_PASS_DEF_ABSORBSCALARS
#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h.inc"

namespace {
// A multiplicative factor per channel (dimension 1) of a value: the value
// as the rewritten network computes it, times the factor, is what the
// original network computed.
using Factor = std::vector<double>;

bool isUniform(const Factor &f) {
  return llvm::all_of(f, [&](double x) { return x == f.front(); });
}

std::optional<int64_t> staticChannels(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() < 2 || type.isDynamicDim(1))
    return std::nullopt;
  return type.getDimSize(1);
}

// The rewrites that absorb one scalar downstream, found by a dry run that
// follows the factor through the block in order (SSA order is a topological
// order, so an op is reached after every operand that carries a factor).
class Push {
public:
  bool plan(Value source, Factor factor) {
    if (!assign(source, std::move(factor)))
      return false;
    Operation *start = source.getDefiningOp();
    for (Operation &op : llvm::make_range(std::next(start->getIterator()),
                                          start->getBlock()->end())) {
      if (llvm::none_of(op.getOperands(),
                        [&](Value v) { return factors.count(v); }))
        continue;
      if (!visit(&op))
        return false;
    }
    return true;
  }

  void apply() {
    for (auto &[op, factor] : linears)
      scaleInputChannels(op, factor);
    for (auto [poly, a] : polys) {
      SmallVector<double> coeffs(poly.getCoeffs());
      double power = 1;
      for (double &c : coeffs) {
        c *= power;
        power *= a;
      }
      poly.setCoeffs(coeffs);
    }
    for (auto &[param, factor, rank] : constants)
      divideConstant(param, factor, rank);
  }

private:
  bool assign(Value v, Factor f) {
    Block *block = v.getParentBlock();
    if (llvm::any_of(v.getUsers(),
                     [&](Operation *u) { return u->getBlock() != block; }))
      return false;
    factors[v] = std::move(f);
    return true;
  }

  const Factor *factorOf(Value v) {
    auto it = factors.find(v);
    return it == factors.end() ? nullptr : &it->second;
  }

  bool visit(Operation *op) {
    if (isa<AvgPool2dOp, GlobalAvgPool2dOp, DropoutOp>(op))
      return assign(op->getResult(0), *factorOf(op->getOperand(0)));
    if (auto flatten = dyn_cast<FlattenOp>(op))
      return visitFlatten(flatten);
    if (auto concat = dyn_cast<ConcatOp>(op))
      return visitConcat(concat);
    if (auto add = dyn_cast<AddOp>(op))
      return visitAdd(add);
    if (auto poly = dyn_cast<PolyActOp>(op)) {
      const Factor &f = *factorOf(poly.getInput());
      if (!isUniform(f))
        return false;
      polys.push_back({poly, f.front()});
      return true;
    }
    if (isa<Conv2dOp, LinearOp>(op)) {
      // Only the input may carry a factor; the weights are parameters.
      for (Value v : op->getOperands().drop_front())
        if (factorOf(v))
          return false;
      // Absorbing is optional: a layer that cannot take the factor keeps it
      // in front of it, and why does not matter.
      if (llvm::Error why = checkRewritableWeights(op)) {
        llvm::consumeError(std::move(why));
        return false;
      }
      linears.push_back({op, *factorOf(op->getOperand(0))});
      return true;
    }
    return false;
  }

  bool visitFlatten(FlattenOp flatten) {
    const Factor &f = *factorOf(flatten.getInput());
    int64_t inner = 1;
    for (int64_t d : flatten.getInput().getType().getShape().drop_front(2)) {
      if (ShapedType::isDynamic(d))
        return false;
      inner *= d;
    }
    Factor expanded;
    expanded.reserve(f.size() * inner);
    for (double s : f)
      expanded.insert(expanded.end(), inner, s);
    return assign(flatten.getResult(), std::move(expanded));
  }

  bool visitConcat(ConcatOp concat) {
    if (concat.getAxis() != 1)
      return false;
    Factor joined;
    for (Value input : concat.getInputs()) {
      std::optional<int64_t> channels = staticChannels(input);
      if (!channels)
        return false;
      if (const Factor *f = factorOf(input))
        joined.insert(joined.end(), f->begin(), f->end());
      else
        joined.insert(joined.end(), *channels, 1.0);
    }
    return assign(concat.getResult(), std::move(joined));
  }

  // x·s + c = (x + c/s)·s for a constant c; two branches must agree.
  bool visitAdd(AddOp add) {
    const Factor *lhs = factorOf(add.getLhs()), *rhs = factorOf(add.getRhs());
    if (lhs && rhs)
      return add.getLhs().getType() == add.getRhs().getType() && *lhs == *rhs &&
             assign(add.getResult(), *lhs);
    const Factor &f = lhs ? *lhs : *rhs;
    if (!lhs && add.getRhs().getType() != add.getLhs().getType())
      return false;
    ParamOp constant = exclusiveParam(lhs ? add.getRhs() : add.getLhs());
    if (!constant || !hasParamValue(constant) || llvm::is_contained(f, 0.0))
      return false;
    int64_t rank = add.getLhs().getType().getRank();
    ArrayRef<int64_t> shape = constant.getType().getShape();
    int64_t axis = 1 - (rank - (int64_t)shape.size());
    if (!isUniform(f) && (axis < 0 || shape[axis] != (int64_t)f.size()))
      return false;
    constants.push_back({constant, f, rank});
    return assign(add.getResult(), f);
  }

  static void divideConstant(ParamOp param, const Factor &f, int64_t rank) {
    std::vector<float> values = *readParamValue(param);
    ArrayRef<int64_t> shape = param.getType().getShape();
    int64_t axis = 1 - (rank - (int64_t)shape.size());
    int64_t stride = 1, channels = 1;
    if (axis >= 0) {
      channels = shape[axis];
      for (int64_t d : shape.drop_front(axis + 1))
        stride *= d;
    }
    for (size_t i = 0; i < values.size(); ++i) {
      double s = isUniform(f) ? f.front() : f[(i / stride) % channels];
      values[i] = static_cast<float>(values[i] / s);
    }
    writeParamValue(param, values);
  }

  struct Constant {
    ParamOp param;
    Factor factor;
    int64_t rank;
  };
  llvm::DenseMap<Value, Factor> factors;
  SmallVector<std::pair<Operation *, Factor>> linears;
  SmallVector<std::pair<PolyActOp, double>> polys;
  SmallVector<Constant> constants;
};

// Pushes a uniform `scale` from `value`; true when it was absorbed.
bool pushUniform(Value value, double scale) {
  std::optional<int64_t> channels = staticChannels(value);
  if (!channels || value.use_empty())
    return false;
  Push push;
  if (!push.plan(value, Factor(*channels, scale)))
    return false;
  push.apply();
  return true;
}

bool isIdentity(ArrayRef<double> c) {
  return c.size() >= 2 && c[0] == 0 && c[1] == 1 &&
         llvm::all_of(c.drop_front(2), [](double x) { return x == 0; });
}

// a·q(x), q monic: `a` moves downstream, q stays.
void absorbPoly(PolyActOp poly) {
  SmallVector<double> coeffs(poly.getCoeffs());
  while (!coeffs.empty() && coeffs.back() == 0)
    coeffs.pop_back();
  if (coeffs.size() < 2 || coeffs.back() == 1)
    return;
  double a = coeffs.back();
  if (!pushUniform(poly.getResult(), a))
    return;
  SmallVector<double> monic(poly.getCoeffs());
  for (double &c : monic)
    c /= a;
  if (isIdentity(monic)) {
    poly.replaceAllUsesWith(poly.getInput());
    poly.erase();
    return;
  }
  poly.setCoeffs(monic);
}

// The divisor of every window, when it is the same for all of them.
std::optional<int64_t> constantDivisor(AvgPool2dOp pool) {
  if (auto d = pool.getDivisorOverride())
    return static_cast<int64_t>(*d);
  ArrayRef<int64_t> k = pool.getKernel(), s = pool.getStride(),
                    pad = pool.getPadding();
  bool padded = llvm::any_of(pad, [](int64_t p) { return p; });
  if (padded && !pool.getCountIncludePad())
    return std::nullopt;
  if (pool.getCeilMode()) {
    // A last window hanging past the padded input is divided by its
    // clipped size.
    ArrayRef<int64_t> in = pool.getInput().getType().getShape(),
                      out = pool.getResult().getType().getShape();
    for (int d = 0; d < 2; ++d) {
      if (ShapedType::isDynamic(in[2 + d]) || ShapedType::isDynamic(out[2 + d]))
        return std::nullopt;
      if ((out[2 + d] - 1) * s[d] + k[d] > in[2 + d] + pad[d] + pad[d + 2])
        return std::nullopt;
    }
  }
  return k[0] * k[1];
}

template <typename Pool>
void absorbPool(Pool pool, std::optional<int64_t> divisor) {
  if (!divisor || *divisor == 1)
    return;
  if (pushUniform(pool.getResult(), 1.0 / *divisor))
    pool.setDivisorOverrideAttr(
        Builder(pool.getContext()).getI64IntegerAttr(1));
}

std::optional<int64_t> constantDivisor(GlobalAvgPool2dOp pool) {
  if (auto d = pool.getDivisorOverride())
    return static_cast<int64_t>(*d);
  ArrayRef<int64_t> in = pool.getInput().getType().getShape();
  if (ShapedType::isDynamic(in[2]) || ShapedType::isDynamic(in[3]))
    return std::nullopt;
  return in[2] * in[3];
}

struct AbsorbScalars : impl::AbsorbScalarsBase<AbsorbScalars> {
  void runOnOperation() override {
    // Upstream first: a scalar pushed into a later polynomial is pushed on
    // again when that polynomial's turn comes.
    SmallVector<Operation *> sources;
    getOperation()->walk([&](Operation *op) {
      if (isa<PolyActOp, AvgPool2dOp, GlobalAvgPool2dOp>(op))
        sources.push_back(op);
    });
    for (Operation *op : sources) {
      if (auto poly = dyn_cast<PolyActOp>(op))
        absorbPoly(poly);
      else if (auto pool = dyn_cast<AvgPool2dOp>(op))
        absorbPool(pool, constantDivisor(pool));
      else if (auto pool = dyn_cast<GlobalAvgPool2dOp>(op))
        absorbPool(pool, constantDivisor(pool));
    }
  }
};
} // namespace
} // namespace he
