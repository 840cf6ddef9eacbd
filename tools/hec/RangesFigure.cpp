#include "tools/hec/FigureScripts.h"

#include "llvm/ADT/STLExtras.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

using namespace hec;
using gnuplot::number;
using gnuplot::quote;
using namespace hec::figures;

// Input ranges: a bar from min to max per layer and method; on a symmetric
// log scale (sign(y) log10(1 + |y|)) once they pass 100, since a collapsing
// method's inputs grow by orders of magnitude from layer to layer.

namespace {
std::string tickLabel(int power, int sign) {
  static const char *superscripts[] = {"⁰", "¹", "²", "³", "⁴",
                                       "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string digits;
  if (power <= 3) { // 10, 100, 1000; then 10⁴, 10⁵, ...
    digits = std::to_string(int(std::pow(10, power)));
  } else {
    digits = "10";
    for (char c : std::to_string(power))
      digits += superscripts[c - '0'];
  }
  return (sign < 0 ? "−" : "") + digits;
}
} // namespace

std::optional<gnuplot::Script> figures::rangesScript(const RunFolder &run) {
  std::vector<std::string> layers;
  for (const MethodRecord &m : run.methods)
    for (const SeedRecord &s : m.seeds)
      for (const ActivationRecord &a : s.activations)
        if (a.inputRange && !llvm::is_contained(layers, a.layer))
          layers.push_back(a.layer);
  if (layers.empty())
    return std::nullopt;

  // Per method: layer -> the union of its seeds' ranges.
  std::vector<std::pair<const MethodRecord *,
                        std::map<std::string, std::pair<double, double>>>>
      perMethod;
  double extent = 1;
  for (const MethodRecord &m : run.methods) {
    std::map<std::string, std::pair<double, double>> ranges;
    for (const SeedRecord &s : m.seeds)
      for (const ActivationRecord &a : s.activations)
        if (a.inputRange) {
          auto [it, fresh] = ranges.emplace(a.layer, *a.inputRange);
          if (!fresh)
            it->second = {std::min(it->second.first, a.inputRange->first),
                          std::max(it->second.second, a.inputRange->second)};
          extent = std::max({extent, std::fabs(a.inputRange->first),
                             std::fabs(a.inputRange->second)});
        }
    if (!ranges.empty())
      perMethod.emplace_back(&m, std::move(ranges));
  }

  gnuplot::Script s;
  s.width =
      std::clamp(260 + 24 * int(layers.size() * perMethod.size()), 1000, 1800);
  double slot = 0.8 / double(perMethod.size());
  std::string plots;
  for (auto [i, entry] : llvm::enumerate(perMethod)) {
    const auto &[m, ranges] = entry;
    std::string block = "r" + std::to_string(i);
    s.data += "$" + block + " << EOD\n";
    for (auto [j, layer] : llvm::enumerate(layers)) {
      auto it = ranges.find(layer);
      if (it == ranges.end())
        continue;
      double x = double(j + 1) - 0.4 + slot * (double(i) + 0.5);
      s.data +=
          fmt::format("{} {} {} {} {} {}\n", number(x),
                      number((it->second.first + it->second.second) / 2),
                      number(x - 0.42 * slot), number(x + 0.42 * slot),
                      number(it->second.first), number(it->second.second));
    }
    s.data += "EOD\n";
    std::string label = m->method;
    if (!m->seeds.empty() && !m->seeds.front().activations.empty() &&
        !m->seeds.front().activations.front().polynomial)
      label += " (ReLU)";
    plots += fmt::format("    ${} using 1:2:3:4:5:6 with boxxyerror fc rgb {} "
                         "fs solid 0.75 border lc rgb {} title {}, \\\n",
                         block, quote(colourOf(m->method)),
                         quote(colourOf(m->method)), quote(label));
  }
  plots.erase(plots.size() - 4);

  std::string xtics;
  for (auto [j, layer] : llvm::enumerate(layers))
    xtics += fmt::format("{}{} {}", j ? ", " : "", quote(layer), j + 1);
  // Up to 100 a linear axis; beyond, a symmetric log scale with a tic per
  // decade (±1 would crowd 0 there).
  bool symlog = extent >= 100;
  std::string yaxis =
      "  set ylabel \"input value, min to max\"\n  set ytics autofreq\n";
  if (symlog) {
    std::string ytics = "\"0\" 0";
    for (int p = 1; p <= int(std::ceil(std::log10(extent))); ++p)
      for (int sign : {-1, 1})
        ytics += fmt::format(", {} {}", quote(tickLabel(p, sign)),
                             sign * std::pow(10, p));
    yaxis = "  symlog(y) = y >= 0 ? log10(1 + y) : -log10(1 - y)\n"
            "  symexp(y) = y >= 0 ? 10**y - 1 : 1 - 10**(-y)\n"
            "  set nonlinear y via symlog(y) inverse symexp(y)\n"
            "  set ylabel \"input value, min to max (symmetric log "
            "scale)\"\n"
            "  set ytics (" +
            ytics + ")\n";
  }
  std::optional<size_t> seeds = commonSeeds(run);
  s.draw = fmt::format(
      "  set title {}\n"
      "{}"
      "  set xrange [0.5:{}]\n"
      "  set yrange [{}:{}]\n"
      "  set xtics ({}) rotate by 30 right\n"
      "  set grid ytics lc rgb \"#dddddd\"\n"
      "  set xzeroaxis lt -1 lc rgb \"#999999\"\n"
      "  set xlabel \"activation (layer)\"\n"
      "  set key outside right top vertical Left reverse\n"
      "  plot \\\n{}\n"
      "{}",
      quote(fmt::format("{}: each activation's input range, calibrated on the "
                        "training images{}",
                        run.experiment,
                        seeds && *seeds > 1 ? " (union over seeds)" : "")),
      yaxis, number(double(layers.size()) + 0.5), number(-1.15 * extent),
      number(1.15 * extent), xtics, plots,
      symlog ? "  unset nonlinear y\n" : "");
  return s;
}
