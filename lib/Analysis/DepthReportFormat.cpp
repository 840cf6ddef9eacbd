#include "lib/Analysis/DepthReportFormat.h"

#include "dialect/HeOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
namespace json = llvm::json;

namespace he {
namespace {
std::string levelText(std::optional<int64_t> level) {
  return level ? std::to_string(*level) : std::string("-");
}

json::Value optionalJson(std::optional<int64_t> v) {
  return v ? json::Value(*v) : json::Value(nullptr);
}

json::Object opJson(Operation *op) {
  return json::Object{{"op", op->getName().getStringRef()},
                      {"name", layerName(op)},
                      {"loc", locationString(op->getLoc())}};
}

const OpDepth *findDepth(const DepthReportData &r, Operation *op) {
  for (const OpDepth &d : r.depth.ops)
    if (d.op == op)
      return &d;
  return nullptr;
}
} // namespace

FailureOr<DepthReportData> analyzeDepthReport(func::FuncOp func,
                                              const CostModel &model,
                                              const CkksOptions &ckks) {
  FailureOr<DepthResult> depth = analyzeDepth(func, model);
  if (failed(depth))
    return failure();
  DepthReportData r;
  r.function = func.getSymName().str();
  r.model = model;
  r.depth = std::move(*depth);
  r.params = countParameters(func);
  r.ckksOptions = ckks;
  if (r.depth.totalDepth)
    r.ckks = chooseCkksParams(*r.depth.totalDepth, ckks);
  auto calibration = summarizeCalibration(func, ckks);
  if (failed(calibration))
    r.calibrationInvalid = true;
  else
    r.calibration = std::move(*calibration);
  return r;
}

DepthReportData buildDepthReport(func::FuncOp func, const CostModel &model,
                                 const CkksOptions &ckks) {
  FailureOr<DepthReportData> r = analyzeDepthReport(func, model, ckks);
  if (failed(r))
    llvm::report_fatal_error("depth report of @" + func.getSymName() +
                             ": an op declares no multiplicative cost");
  return std::move(*r);
}

std::string locationString(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn())
        .str();
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string child = locationString(name.getChildLoc());
    return child == "unknown" ? name.getName().str() : child;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations()) {
      std::string text = locationString(part);
      if (text != "unknown")
        return text;
    }
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return locationString(call.getCallee());
  return "unknown";
}

void printDepthReportText(llvm::raw_ostream &os, const DepthReportData &r) {
  os << "depth report for @" << r.function << "\n";
  os << llvm::formatv("  {0,-20} {1,-24} {2,5} {3,5} {4,5}  {5}\n", "op",
                      "layer", "in", "cost", "out", "location");
  for (const OpDepth &d : r.depth.ops)
    os << llvm::formatv("  {0,-20} {1,-24} {2,5} {3,5} {4,5}  {5}\n",
                        d.op->getName().getStringRef(), layerName(d.op),
                        levelText(d.inLevel), levelText(d.cost),
                        levelText(d.outLevel), locationString(d.op->getLoc()));

  if (r.depth.totalDepth) {
    os << "critical path:";
    if (r.depth.criticalPath.empty())
      os << " (none)";
    bool first = true;
    for (Operation *op : r.depth.criticalPath) {
      const OpDepth *d = findDepth(r, op);
      os << (first ? " " : " -> ") << layerName(op) << " (+"
         << levelText(d ? d->cost : std::nullopt) << ")";
      first = false;
    }
    os << "\ntotal depth: " << *r.depth.totalDepth << "\n";
  } else {
    os << "critical path: none\n";
    os << "total depth: none: non-polynomial ops remain:\n";
    for (Operation *op : r.depth.nonPolynomial)
      os << "  " << op->getName().getStringRef() << " " << layerName(op)
         << " at " << locationString(op->getLoc()) << "\n";
  }

  os << "trainable parameters: " << r.params.trainable << "\n";
  os << "buffers: " << r.params.buffers << "\n";

  const CkksOptions &o = r.ckksOptions;
  os << "CKKS at " << o.securityBits << "-bit security: ";
  if (!r.ckks) {
    os << "no parameters: the depth is unknown\n";
    return;
  }
  const CkksParams &p = *r.ckks;
  os << "log_q = " << p.firstModBits << " + " << *r.depth.totalDepth << "*"
     << p.scaleBits << " + " << p.specialPrimeBits << " = " << p.logQ << "\n";
  if (p.fits)
    os << "  ring dimension N = " << *p.ringDimension << " (max log_q "
       << *p.maxLogQ << "), " << *p.slots << " slots\n";
  else
    os << "  does not fit: " << p.message << "\n";
  if (r.calibration)
    printCalibrationText(os, *r.calibration);
}

json::Value depthReportJson(const DepthReportData &r) {
  json::Array ops;
  for (const OpDepth &d : r.depth.ops) {
    json::Object o = opJson(d.op);
    o["in_level"] = optionalJson(d.inLevel);
    o["cost"] = optionalJson(d.cost);
    o["out_level"] = optionalJson(d.outLevel);
    ops.push_back(std::move(o));
  }
  json::Array path;
  for (Operation *op : r.depth.criticalPath) {
    json::Object o = opJson(op);
    if (const OpDepth *d = findDepth(r, op)) {
      o["cost"] = optionalJson(d->cost);
      o["out_level"] = optionalJson(d->outLevel);
    }
    path.push_back(std::move(o));
  }
  json::Array nonPolynomial;
  for (Operation *op : r.depth.nonPolynomial)
    nonPolynomial.push_back(opJson(op));

  const CkksOptions &o = r.ckksOptions;
  json::Object ckks{{"security_bits", o.securityBits},
                    {"scale_bits", o.scaleBits},
                    {"first_mod_bits", o.firstModBits},
                    {"special_prime_bits", o.specialPrimeBits},
                    {"log_q", nullptr},
                    {"ring_dimension", nullptr},
                    {"slots", nullptr},
                    {"max_log_q", nullptr},
                    {"fits", false},
                    {"message", "the depth is unknown"}};
  if (r.ckks) {
    const CkksParams &p = *r.ckks;
    ckks["log_q"] = p.logQ;
    ckks["ring_dimension"] = optionalJson(p.ringDimension);
    ckks["slots"] = optionalJson(p.slots);
    ckks["max_log_q"] = optionalJson(p.maxLogQ);
    ckks["fits"] = p.fits;
    if (p.fits)
      ckks.erase("message");
    else
      ckks["message"] = p.message;
  }

  const CostModel &m = r.model;
  json::Object model{
      {"conv", m.conv}, {"linear", m.linear}, {"pool", m.pool}, {"bn", m.bn},
      {"mul", m.mul},   {"scalar", m.scalar}, {"add", m.add}};

  json::Object report{{"function", r.function},
                      {"total_depth", optionalJson(r.depth.totalDepth)},
                      {"non_polynomial", std::move(nonPolynomial)},
                      {"critical_path", std::move(path)},
                      {"ops", std::move(ops)},
                      {"parameters", r.params.trainable},
                      {"buffers", r.params.buffers},
                      {"cost_model", std::move(model)},
                      {"ckks", std::move(ckks)}};
  if (r.calibration)
    report["calibration"] = calibrationJson(*r.calibration);
  return report;
}
} // namespace he
