#include "lib/Frontend/Methods.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdio>

using namespace he::frontend;

llvm::ArrayRef<MethodSpec> he::frontend::methodTable() {
  static const MethodSpec table[] = {
      {Method::Baseline, "baseline", "", false, false},
      {Method::Square, "square", "square", false, false},
      {Method::ApproxRelu, "approx_relu", "approx-relu", false, false},
      {Method::Tp, "tp", "poly", false, false},
      {Method::TpSt, "tp_st", "blend", true, false},
      {Method::TpStKd, "tp_st_kd", "blend", true, true},
  };
  return table;
}

const MethodSpec &he::frontend::specOf(Method method) {
  return methodTable()[static_cast<size_t>(method)];
}

bool he::frontend::distilsFromBaseline(const Experiment &e, Method method) {
  return specOf(method).distillation && e.distillation.teacher == "baseline";
}

bool he::frontend::startsFromBaseline(const Experiment &e, Method method) {
  return method != Method::Baseline && e.training.init == WeightInit::Baseline;
}

bool he::frontend::needsBaseline(const Experiment &e, Method method) {
  return distilsFromBaseline(e, method) || startsFromBaseline(e, method);
}

bool he::frontend::distils(const Experiment &e) {
  return llvm::any_of(e.methods,
                      [](Method m) { return specOf(m).distillation; });
}

bool he::frontend::fitsRelu(const Experiment &e, Method method) {
  return e.polynomial.fitRelu && specOf(method).polynomial() &&
         (specOf(method).transition || startsFromBaseline(e, method));
}

// Pass options are text: print a double so that it parses back exactly.
static std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string he::frontend::methodPipeline(Method method,
                                         const PolynomialConfig &poly) {
  const MethodSpec &spec = specOf(method);
  if (!spec.polynomial())
    return "";
  // With a transition, max-pool stays beside avg-pool in a he.blend: the
  // runtime switches (hard) or blends (smooth) it from the start epoch.
  const char *lower =
      spec.transition ? "he-lower-maxpool{smooth=true}" : "he-lower-maxpool";
  return llvm::formatv("{0},he-replace-activations{{method={1} degree={2} "
                       "a={3} b={4}}",
                       lower, spec.activations, poly.degree, exact(poly.initA),
                       exact(poly.initB))
      .str();
}
