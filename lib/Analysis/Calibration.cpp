#include "lib/Analysis/Calibration.h"

#include "dialect/HeOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
namespace json = llvm::json;

namespace he {
double ValueRange::maxAbs() const {
  return std::max(std::fabs(min), std::fabs(max));
}

DictionaryAttr rangeAttr(MLIRContext *context, const ValueRange &range) {
  Builder b(context);
  return b.getDictionaryAttr(
      {b.getNamedAttr("min", b.getF64FloatAttr(range.min)),
       b.getNamedAttr("max", b.getF64FloatAttr(range.max)),
       b.getNamedAttr("abs_p9999", b.getF64FloatAttr(range.absP9999))});
}

FailureOr<std::optional<ValueRange>> readRange(Operation *op,
                                               llvm::StringRef name) {
  Attribute attr = op->getAttr(name);
  if (!attr)
    return std::optional<ValueRange>();
  auto dict = dyn_cast<DictionaryAttr>(attr);
  auto get = [&](llvm::StringRef key) -> std::optional<double> {
    auto f = dict ? dict.getAs<FloatAttr>(key) : FloatAttr();
    if (!f || !std::isfinite(f.getValueAsDouble()))
      return std::nullopt;
    return f.getValueAsDouble();
  };
  std::optional<double> lo = get("min"), hi = get("max"), p = get("abs_p9999");
  if (!lo || !hi || !p || *lo > *hi || *p < 0)
    return op->emitOpError()
           << "'" << name
           << "' must be {min, max, abs_p9999} as finite f64 with min <= "
              "max and abs_p9999 >= 0, got "
           << attr;
  return std::optional<ValueRange>(ValueRange{*lo, *hi, *p});
}

int64_t integerBits(double maxAbs) {
  if (!(maxAbs > 1))
    return 1;
  return static_cast<int64_t>(std::ceil(std::log2(maxAbs))) + 1;
}

FailureOr<std::optional<CalibrationSummary>>
summarizeCalibration(func::FuncOp func, const CkksOptions &ckks) {
  CalibrationSummary c;
  bool failed = false;
  func.walk([&](Operation *op) {
    if (isa<ParamOp>(op))
      return;
    auto out = readRange(op, kRangeAttr);
    auto in = readRange(op, kInputRangeAttr);
    if (mlir::failed(out) || mlir::failed(in)) {
      failed = true;
      return;
    }
    if (!*out)
      return;
    c.ops.push_back({op, *in, **out});
    for (const ValueRange &r : {**out, in->value_or(**out)})
      if (r.maxAbs() > c.maxAbs || !c.maxAbsOp) {
        c.maxAbs = std::max(c.maxAbs, r.maxAbs());
        c.maxAbsOp = op;
      }
  });
  if (failed)
    return failure();
  if (c.ops.empty())
    return std::optional<CalibrationSummary>();
  c.integerBits = integerBits(c.maxAbs);
  c.headroomBits = ckks.firstModBits - ckks.scaleBits;
  return std::optional<CalibrationSummary>(std::move(c));
}

namespace {
std::string num(double v) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", v);
  return text;
}
} // namespace

json::Object rangeJson(const ValueRange &r) {
  return json::Object{
      {"min", r.min}, {"max", r.max}, {"abs_p9999", r.absP9999}};
}

void printCalibrationText(llvm::raw_ostream &os, const CalibrationSummary &c) {
  os << "calibrated ranges (min, max, 99.99th percentile of |x|):\n";
  for (const CalibratedOp &o : c.ops) {
    if (o.input)
      os << llvm::formatv("  {0,-24} input  [{1}, {2}] p99.99 {3}\n",
                          layerName(o.op), num(o.input->min), num(o.input->max),
                          num(o.input->absP9999));
    os << llvm::formatv("  {0,-24} output [{1}, {2}] p99.99 {3}\n",
                        layerName(o.op), num(o.output.min), num(o.output.max),
                        num(o.output.absP9999));
  }
  os << llvm::formatv("largest |x|: {0} ({1}); the first modulus needs "
                      "{2} bits beyond the scale, has {3}\n",
                      num(c.maxAbs), layerName(c.maxAbsOp), c.integerBits,
                      c.headroomBits);
  if (!c.enough())
    os << "warning: first_mod_bits - scale_bits = " << c.headroomBits << " < "
       << c.integerBits
       << ": decryption would overflow; raise first_mod_bits\n";
}

json::Value calibrationJson(const CalibrationSummary &c) {
  json::Array ops;
  for (const CalibratedOp &o : c.ops) {
    json::Object e{{"op", o.op->getName().getStringRef()},
                   {"name", layerName(o.op)},
                   {"output", rangeJson(o.output)}};
    if (o.input)
      e["input"] = rangeJson(*o.input);
    ops.push_back(std::move(e));
  }
  return json::Object{{"ops", std::move(ops)},
                      {"max_abs", c.maxAbs},
                      {"max_abs_at", layerName(c.maxAbsOp)},
                      {"integer_bits", c.integerBits},
                      {"headroom_bits", c.headroomBits},
                      {"enough", c.enough()}};
}
} // namespace he
