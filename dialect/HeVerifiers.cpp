// Verifiers of the he ops: every shape must follow from the attributes, and
// every diagnostic names the op and what was expected.
#include "dialect/HeOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

using namespace mlir;
using namespace he;

namespace {
constexpr int64_t kDyn = ShapedType::kDynamic;

std::string dimStr(int64_t d) {
  return d == kDyn ? std::string("?") : std::to_string(d);
}

// Numbers in diagnostics read as a person writes them: 0.5, -0.25, inf.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::interleave(
      shape, [&](int64_t d) { s += dimStr(d); }, [&] { s += ", "; });
  return s + "]";
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

LogicalResult checkRank(Operation *op, Value v, StringRef what,
                        ArrayRef<int64_t> ranks) {
  int64_t rank = shapeOf(v).size();
  if (llvm::is_contained(ranks, rank))
    return success();
  auto diag = op->emitOpError() << "expects " << what << " of rank ";
  llvm::interleave(ranks, diag, " or ");
  return diag << ", got " << shapeStr(shapeOf(v));
}

// Two dimensions agree when either is dynamic or they are equal.
bool compatible(int64_t a, int64_t b) {
  return a == kDyn || b == kDyn || a == b;
}

LogicalResult checkResultShape(Operation *op, ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> got = shapeOf(op->getResult(0));
  bool ok = got.size() == expected.size();
  for (size_t i = 0; ok && i < got.size(); ++i)
    ok = compatible(got[i], expected[i]);
  if (ok)
    return success();
  return op->emitOpError() << "expects result shape " << shapeStr(expected)
                           << ", got " << shapeStr(got);
}

LogicalResult checkPositive(Operation *op, StringRef attr,
                            ArrayRef<int64_t> values, size_t size,
                            int64_t minimum) {
  if (values.size() != size)
    return op->emitOpError() << "expects '" << attr << "' to have " << size
                             << " values, got " << values.size();
  for (int64_t v : values)
    if (v < minimum)
      return op->emitOpError() << "expects every '" << attr
                               << "' value >= " << minimum << ", got " << v;
  return success();
}

// PyTorch's output size of a sliding window, including ceil_mode's rule that
// the last window must start inside the input or its leading padding; -1
// when the window is larger than the padded input, std::nullopt when the
// padded input does not fit in int64. Kernel and stride are >= 1, padding
// >= 0 (verified before).
std::optional<int64_t> windowOutput(int64_t in, int64_t k, int64_t s,
                                    int64_t padLo, int64_t padHi,
                                    bool ceilMode) {
  if (in == kDyn)
    return kDyn;
  int64_t padded;
  if (llvm::AddOverflow(in, padLo, padded) ||
      llvm::AddOverflow(padded, padHi, padded))
    return std::nullopt;
  int64_t span = padded - k;
  if (span < 0)
    return -1;
  int64_t out = span / s + (ceilMode && span % s != 0 ? 1 : 0) + 1;
  // (out - 1) * s <= span + s - 1 < padded: no overflow.
  if (ceilMode && (out - 1) * s >= in + padLo)
    --out;
  return out;
}

LogicalResult checkWindow(Operation *op, Value input, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                          bool ceilMode, int64_t channels) {
  ArrayRef<int64_t> in = shapeOf(input);
  SmallVector<int64_t> expected = {in[0], channels};
  for (int d = 0; d < 2; ++d) {
    std::optional<int64_t> out = windowOutput(
        in[2 + d], kernel[d], stride[d], padding[d], padding[d + 2], ceilMode);
    if (!out)
      return op->emitOpError()
             << "padding " << padding[d] << " + " << padding[d + 2]
             << " of the input " << shapeStr(in) << " along dimension " << 2 + d
             << " does not fit in 64 bits";
    if (*out == -1 || *out == 0)
      return op->emitOpError()
             << "window " << kernel[d] << " is larger than the padded input "
             << shapeStr(in) << " along dimension " << 2 + d;
    expected.push_back(*out);
  }
  return checkResultShape(op, expected);
}

LogicalResult checkDivisor(Operation *op, IntegerAttr divisor) {
  if (!divisor || divisor.getInt() >= 1)
    return success();
  return op->emitOpError() << "expects divisor_override >= 1, got "
                           << divisor.getInt();
}

LogicalResult checkNonNegativePadding(Operation *op,
                                      ArrayRef<int64_t> padding) {
  return checkPositive(op, "padding", padding, 4, 0);
}
} // namespace

LogicalResult ParamOp::verify() {
  if (getParamName().empty())
    return emitOpError("expects a non-empty name");
  if (auto value = getValueAttr()) {
    if (value.getType() != getType())
      return emitOpError() << "value of type " << value.getType()
                           << " does not match result type " << getType();
    if (!getType().hasStaticShape())
      return emitOpError("with a value needs a static shape");
    // A blob of another size than the type's (a cut or padded file) is
    // refused here, where its name is known, not when the runtime reads it.
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
        uint64_t want = uint64_t(value.getNumElements()) *
                        (cast<ShapedType>(value.getType())
                             .getElementType()
                             .getIntOrFloatBitWidth() /
                         8);
        if (blob->getData().size() != want)
          return emitOpError() << "'" << getParamName() << "' has a value of "
                               << blob->getData().size() << " bytes; its type "
                               << getType() << " needs " << want;
      }
  }
  return success();
}

LogicalResult Conv2dOp::verify() {
  if (failed(checkRank(*this, getInput(), "input", {4})) ||
      failed(checkRank(*this, getWeight(), "weight", {4})) ||
      failed(checkPositive(*this, "stride", getStride(), 2, 1)) ||
      failed(checkNonNegativePadding(*this, getPadding())))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput()), w = shapeOf(getWeight());
  int64_t groups = getGroupsAttr().getInt();
  if (groups < 1)
    return emitOpError() << "expects groups >= 1, got " << groups;
  if (in[1] != kDyn && (in[1] % groups != 0 || w[1] != in[1] / groups))
    return emitOpError() << "expects weight of shape [out, " << dimStr(in[1])
                         << "/" << groups << ", kh, kw] for input "
                         << shapeStr(in) << ", got " << shapeStr(w);
  if (w[0] % groups != 0)
    return emitOpError() << "expects output channels " << w[0]
                         << " divisible by groups " << groups;
  if (Value bias = getBias()) {
    ArrayRef<int64_t> b = shapeOf(bias);
    if (b.size() != 1 || b[0] != w[0])
      return emitOpError() << "expects bias of shape [" << w[0] << "], got "
                           << shapeStr(b);
  }
  return checkWindow(*this, getInput(), w.drop_front(2), getStride(),
                     getPadding(), /*ceilMode=*/false, w[0]);
}

LogicalResult LinearOp::verify() {
  if (failed(checkRank(*this, getInput(), "input", {2})) ||
      failed(checkRank(*this, getWeight(), "weight", {2})))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput()), w = shapeOf(getWeight());
  if (!compatible(in[1], w[1]))
    return emitOpError() << "expects weight of shape [out, " << dimStr(in[1])
                         << "], got " << shapeStr(w);
  if (Value bias = getBias()) {
    ArrayRef<int64_t> b = shapeOf(bias);
    if (b.size() != 1 || b[0] != w[0])
      return emitOpError() << "expects bias of shape [" << w[0] << "], got "
                           << shapeStr(b);
  }
  return checkResultShape(*this, {in[0], w[0]});
}

LogicalResult BatchNormOp::verify() {
  if (failed(checkRank(*this, getInput(), "input", {2, 4})))
    return failure();
  int64_t channels = shapeOf(getInput())[1];
  static constexpr StringLiteral names[] = {"weight", "bias", "running_mean",
                                            "running_var"};
  Value params[] = {getWeight(), getBias(), getRunningMean(), getRunningVar()};
  for (auto [what, v] : llvm::zip(names, params)) {
    ArrayRef<int64_t> s = shapeOf(v);
    if (s.size() != 1 || !compatible(s[0], channels))
      return emitOpError() << "expects " << what << " of shape ["
                           << dimStr(channels) << "], got " << shapeStr(s);
  }
  double eps = getEpsilon().convertToDouble();
  if (!(eps > 0) || !std::isfinite(eps))
    return emitOpError() << "expects epsilon > 0, got " << num(eps);
  double momentum = getMomentum().convertToDouble();
  if (!(momentum >= 0 && momentum <= 1))
    return emitOpError() << "expects momentum in [0, 1], got " << num(momentum);
  return success();
}

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  if (failed(checkRank(op, op.getInput(), "input", {4})) ||
      failed(checkPositive(op, "kernel", op.getKernel(), 2, 1)) ||
      failed(checkPositive(op, "stride", op.getStride(), 2, 1)) ||
      failed(checkNonNegativePadding(op, op.getPadding())))
    return failure();
  ArrayRef<int64_t> k = op.getKernel(), pad = op.getPadding();
  for (int d = 0; d < 4; ++d)
    if (pad[d] > k[d % 2] / 2)
      return op.emitOpError()
             << "expects padding at most half the kernel, got padding "
             << pad[d] << " for kernel " << k[d % 2];
  return checkWindow(op, op.getInput(), k, op.getStride(), pad,
                     op.getCeilMode(), shapeOf(op.getInput())[1]);
}

LogicalResult MaxPool2dOp::verify() { return verifyPool(*this); }

LogicalResult AvgPool2dOp::verify() {
  if (failed(checkDivisor(*this, getDivisorOverrideAttr())))
    return failure();
  return verifyPool(*this);
}

LogicalResult GlobalAvgPool2dOp::verify() {
  if (failed(checkRank(*this, getInput(), "input", {4})))
    return failure();
  if (failed(checkDivisor(*this, getDivisorOverrideAttr())))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  return checkResultShape(*this, {in[0], in[1], 1, 1});
}

LogicalResult PolyActOp::verify() {
  ArrayRef<double> coeffs = getCoeffs();
  if (coeffs.empty())
    return emitOpError("expects at least one coefficient");
  for (auto [k, c] : llvm::enumerate(coeffs)) {
    if (!std::isfinite(c))
      return emitOpError() << "expects finite coefficients, got " << num(c)
                           << " for x^" << k;
    // The runtime computes in f32: a larger coefficient would be inf there.
    if (std::fabs(c) > double(std::numeric_limits<float>::max()))
      return emitOpError() << "expects coefficients within f32's range "
                              "(|c| <= 3.4028235e+38, the runtime computes in "
                              "f32), got "
                           << exactFloat(c) << " for x^" << k;
  }
  return success();
}

LogicalResult BlendOp::verify() {
  double lambda = getLambda().convertToDouble();
  if (!(lambda >= 0 && lambda <= 1))
    return emitOpError() << "expects lambda in [0, 1], got " << num(lambda);
  return success();
}

LogicalResult AddOp::verify() {
  ArrayRef<int64_t> lhs = shapeOf(getLhs()), rhs = shapeOf(getRhs());
  bool ok = rhs.size() <= lhs.size();
  for (size_t i = 0; ok && i < rhs.size(); ++i) {
    int64_t r = rhs[rhs.size() - 1 - i], l = lhs[lhs.size() - 1 - i];
    ok = r == 1 || compatible(r, l);
  }
  if (ok)
    return success();
  return emitOpError() << "expects rhs " << shapeStr(rhs)
                       << " to broadcast to lhs " << shapeStr(lhs);
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects at least one input");
  ArrayRef<int64_t> first = shapeOf(getInputs()[0]);
  int64_t rank = first.size(), axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "expects axis in [0, " << rank << "), got " << axis;
  SmallVector<int64_t> expected(first);
  expected[axis] = 0;
  for (Value v : getInputs()) {
    ArrayRef<int64_t> s = shapeOf(v);
    bool ok = (int64_t)s.size() == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || compatible(s[d], first[d]);
    if (!ok)
      return emitOpError() << "expects inputs equal outside axis " << axis
                           << ", got " << shapeStr(first) << " and "
                           << shapeStr(s);
    expected[axis] = (expected[axis] == kDyn || s[axis] == kDyn)
                         ? kDyn
                         : expected[axis] + s[axis];
  }
  return checkResultShape(*this, expected);
}

LogicalResult FlattenOp::verify() {
  ArrayRef<int64_t> in = shapeOf(getInput());
  if (in.size() < 2)
    return emitOpError() << "expects input of rank >= 2, got " << shapeStr(in);
  int64_t features = 1;
  for (int64_t d : in.drop_front())
    features = (d == kDyn || features == kDyn) ? kDyn : features * d;
  return checkResultShape(*this, {in[0], features});
}

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0 && p < 1))
    return emitOpError() << "expects p in [0, 1), got " << num(p);
  return success();
}
