#include "tools/hec/Methods.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdio>

using he::frontend::Method;

// Pass options are text: print a double so that it parses back exactly.
static std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool hec::isPolynomial(Method method) { return method != Method::Baseline; }

bool hec::usesDistillation(Method method) { return method == Method::TpStKd; }

std::string hec::methodPipeline(Method method,
                                const he::frontend::PolynomialConfig &poly) {
  const char *replace = nullptr;
  switch (method) {
  case Method::Baseline:
    return "";
  case Method::Square:
    replace = "square";
    break;
  case Method::ApproxRelu:
    replace = "approx-relu";
    break;
  case Method::Tp:
    replace = "poly";
    break;
  case Method::TpSt:
  case Method::TpStKd:
    replace = "blend";
    break;
  }
  // With a transition, max-pool stays beside avg-pool in a he.blend: the
  // runtime switches (hard) or blends (smooth) it from the start epoch.
  const char *lower = he::frontend::usesTransition(method)
                          ? "he-lower-maxpool{smooth=true}"
                          : "he-lower-maxpool";
  return llvm::formatv("{0},he-replace-activations{{method={1} degree={2} "
                       "a={3} b={4}}",
                       lower, replace, poly.degree, exact(poly.initA),
                       exact(poly.initB))
      .str();
}
