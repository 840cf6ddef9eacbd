#include "tools/hec/FigureScripts.h"

#include "llvm/ADT/STLExtras.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

using namespace hec;
using gnuplot::number;
using gnuplot::quote;
using namespace hec::figures;

namespace {
// "0.0608x² + 0.96x" (ascending coefficients), in three digits.
std::string formula(const std::vector<double> &c) {
  static const char *powers[] = {"",   "x",  "x²", "x³", "x⁴",
                                 "x⁵", "x⁶", "x⁷", "x⁸", "x⁹"};
  std::string out;
  for (size_t k = c.size(); k-- > 0;) {
    if (c[k] == 0)
      continue;
    std::string power =
        k < std::size(powers) ? powers[k] : "x^" + std::to_string(k);
    std::string magnitude = fmt::format("{:.3g}", std::fabs(c[k]));
    if (magnitude == "1" && k > 0)
      magnitude = "";
    out += out.empty() ? (c[k] < 0 ? "−" : "") : (c[k] < 0 ? " − " : " + ");
    out += magnitude + power;
  }
  return out.empty() ? "0" : out;
}

// The polynomial as a gnuplot expression of x (Horner's rule).
std::string expression(const std::vector<double> &c) {
  std::string out = "0";
  for (size_t k = c.size(); k-- > 0;)
    out = "(" + out + ")*x + " + number(c[k]);
  return out;
}

double evaluate(const std::vector<double> &c, double x) {
  double y = 0;
  for (size_t k = c.size(); k-- > 0;)
    y = y * x + c[k];
  return y;
}

// One method's polynomial for a layer: the mean of its seeds' coefficients
// (the mean curve) and the union of their observed input ranges.
struct Learned {
  std::string method;
  std::vector<double> coeffs;
  std::optional<std::pair<double, double>> range;
};

std::vector<Learned> learnedAt(const RunFolder &run, const std::string &layer) {
  std::vector<Learned> out;
  for (const MethodRecord &m : run.methods) {
    Learned l{m.method, {}, std::nullopt};
    int n = 0;
    for (const SeedRecord &s : m.seeds)
      for (const ActivationRecord &a : s.activations) {
        if (a.layer != layer || !a.polynomial || !a.trainable)
          continue;
        if (l.coeffs.size() < a.coeffs.size())
          l.coeffs.resize(a.coeffs.size());
        for (size_t k = 0; k < a.coeffs.size(); ++k)
          l.coeffs[k] += a.coeffs[k];
        ++n;
        if (a.inputRange)
          l.range = l.range
                        ? std::make_pair(
                              std::min(l.range->first, a.inputRange->first),
                              std::max(l.range->second, a.inputRange->second))
                        : *a.inputRange;
      }
    if (!n)
      continue;
    for (double &c : l.coeffs)
      c /= n;
    out.push_back(std::move(l));
  }
  return out;
}

// The references: what the polynomials replace and the paper's baselines.
const char *referenceDefinitions = "relu(x) = x > 0 ? x : 0\n"
                                   "square(x) = x**2\n"
                                   "approx(x) = 0.00047*x**2 + 0.5*x\n";

std::string referencePlots() {
  return fmt::format(
      "relu(x) lw 2.5 lc rgb \"#000000\" title \"ReLU\", \\\n"
      "      square(x) lw 2 dt 2 lc rgb {} title \"x² (square)\", \\\n"
      "      approx(x) lw 2 dt 4 lc rgb {} title "
      "\"0.00047x² + 0.5x (approx_relu)\"",
      quote(colourOf("square")), quote(colourOf("approx_relu")));
}
} // namespace

std::vector<std::string> figures::polynomialLayers(const RunFolder &run) {
  std::vector<std::string> layers;
  for (const MethodRecord &m : run.methods)
    for (const SeedRecord &s : m.seeds)
      for (const ActivationRecord &a : s.activations)
        if (a.polynomial && a.trainable && !llvm::is_contained(layers, a.layer))
          layers.push_back(a.layer);
  return layers;
}

gnuplot::Script figures::polynomialScript(const RunFolder &run,
                                          const std::string &layer) {
  std::vector<Learned> learned = learnedAt(run, layer);
  gnuplot::Script s;
  s.width = 1200;
  s.height = 620;
  std::string defs = referenceDefinitions;
  for (auto [i, l] : llvm::enumerate(learned))
    defs += fmt::format("p{}(x) = {}\n", i, expression(l.coeffs));
  s.data = defs;

  // The observed panel spans every method's range; each curve only its own.
  std::optional<std::pair<double, double>> span;
  for (const Learned &l : learned)
    if (l.range)
      span = span ? std::make_pair(std::min(span->first, l.range->first),
                                   std::max(span->second, l.range->second))
                  : *l.range;
  if (span && !(span->second > span->first))
    span.reset();

  auto learnedPlots = [&](bool ownRange) {
    std::string out;
    for (auto [i, l] : llvm::enumerate(learned)) {
      std::string range;
      if (ownRange) {
        if (!l.range || !(l.range->second > l.range->first))
          continue;
        range = fmt::format("[x={}:{}] ", number(l.range->first),
                            number(l.range->second));
      }
      out += fmt::format("      {}p{}(x) lw 3 lc rgb {} title {}, \\\n", range,
                         i, quote(colourOf(l.method)),
                         quote(l.method + ": " + formula(l.coeffs)));
    }
    return out;
  };

  // Both panels share margins, so that they line up; the key sits below.
  std::string draw = fmt::format(
      "  set multiplot title {}\n"
      "  set samples 400\n"
      "  set grid lc rgb \"#dddddd\"\n"
      "  set xzeroaxis lt -1 lc rgb \"#999999\"\n"
      "  set xlabel \"activation input x\"\n"
      "  set ylabel \"activation output y\"\n"
      "  set tmargin at screen 0.86\n"
      "  set bmargin at screen 0.30\n"
      "  set key at screen 0.5, screen 0.02 center bottom "
      "vertical maxrows 3 Left reverse width 2\n",
      quote(fmt::format("{}: the learned polynomial of {} against ReLU{}",
                        run.experiment, layer,
                        commonSeeds(run) == 1u
                            ? ""
                            : " (each method: mean "
                              "coefficients over its seeds)")));
  if (span) {
    // The y range of the observed panel follows ReLU and the learned
    // curves; x² leaves it where it grows past them.
    double lo = 0, hi = span->second;
    for (const Learned &l : learned)
      for (int i = 0; i <= 200; ++i) {
        double x = span->first + (span->second - span->first) * i / 200.0;
        double y = evaluate(l.coeffs, x);
        lo = std::min(lo, y);
        hi = std::max(hi, y);
      }
    double pad = 0.08 * (hi - lo);
    draw += fmt::format(
        "  set lmargin at screen 0.07\n  set rmargin at screen 0.48\n"
        "  set title {}\n  set xrange [{}:{}]\n  set yrange [{}:{}]\n"
        // "sample": each [x=a:b] is that curve's own sampling range; without
        // it gnuplot takes the first one as the panel's x range.
        "  plot sample \\\n{}      {}\n",
        quote(fmt::format("over the observed input range [{:.3g}, {:.3g}]",
                          span->first, span->second)),
        number(span->first), number(span->second), number(lo - pad),
        number(hi + pad), learnedPlots(true), referencePlots());
    draw += "  unset key\n"
            "  set lmargin at screen 0.57\n  set rmargin at screen 0.98\n";
  } else {
    draw += "  set lmargin at screen 0.1\n  set rmargin at screen 0.95\n";
  }
  draw += fmt::format("  set title {}\n  set xrange [-2:2]\n"
                      "  set yrange [*:*]\n  plot \\\n{}      {}\n"
                      "  unset multiplot\n",
                      quote(span ? "over [−2, 2]"
                                 : "over [−2, 2] (no calibrated input range "
                                   "in the models)"),
                      learnedPlots(false), referencePlots());
  s.draw = draw;
  return s;
}
