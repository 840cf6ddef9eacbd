#include "tools/hec/Figures.h"
#include "tools/hec/Gnuplot.h"
#include "tools/hec/Results.h"
#include "tools/hec/RunFolder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace hec;
using gnuplot::number;
using gnuplot::quote;

namespace {
struct Figure {
  std::string name;  ///< file name without extension
  std::string title; ///< the link's text in results.md
};

// Okabe-Ito colours, one per method in the paper's order, the same in
// every figure; readable by colour-blind readers. A point type each too,
// for print in grey.
const std::pair<const char *, const char *> methodColours[] = {
    {"baseline", "#000000"}, {"square", "#E69F00"}, {"approx_relu", "#56B4E9"},
    {"tp", "#009E73"},       {"tp_st", "#0072B2"},  {"tp_st_kd", "#D55E00"}};

std::string colourOf(const std::string &method) {
  for (const auto &[m, c] : methodColours)
    if (method == m)
      return c;
  return "#CC79A7";
}

int pointTypeOf(const std::string &method) {
  for (auto [i, entry] : llvm::enumerate(methodColours))
    if (method == entry.first)
      return int(i) + 1;
  return 8;
}

std::string seedsText(size_t n) {
  return n == 1 ? "1 seed" : std::to_string(n) + " seeds";
}

// The seed count of every method when they agree, for the title.
std::optional<size_t> commonSeeds(const RunFolder &run) {
  std::set<size_t> counts;
  for (const MethodRecord &m : run.methods)
    counts.insert(m.seeds.size());
  if (counts.size() == 1)
    return *counts.begin();
  return std::nullopt;
}

// A quantity per epoch over a method's seeds: mean, min and max over the
// seeds that recorded it.
struct Band {
  std::vector<int64_t> epochs;
  std::vector<double> mean, lo, hi;
};

Band bandOf(
    const MethodRecord &m,
    const std::function<std::optional<double>(const EpochRecord &)> &value) {
  std::map<int64_t, std::vector<double>> byEpoch;
  for (const SeedRecord &s : m.seeds)
    for (const EpochRecord &e : s.epochs)
      if (std::optional<double> v = value(e); v && std::isfinite(*v))
        byEpoch[e.epoch].push_back(*v);
  Band b;
  for (const auto &[epoch, values] : byEpoch) {
    double sum = 0;
    for (double v : values)
      sum += v;
    b.epochs.push_back(epoch);
    b.mean.push_back(sum / double(values.size()));
    b.lo.push_back(*std::min_element(values.begin(), values.end()));
    b.hi.push_back(*std::max_element(values.begin(), values.end()));
  }
  return b;
}

std::string datablock(const std::string &name, const Band &b) {
  std::string out = "$" + name + " << EOD\n";
  for (size_t i = 0; i < b.epochs.size(); ++i)
    out += fmt::format("{} {} {} {}\n", b.epochs[i], number(b.mean[i]),
                       number(b.lo[i]), number(b.hi[i]));
  return out + "EOD\n";
}

int64_t lastEpoch(const RunFolder &run) {
  int64_t last = 1;
  for (const MethodRecord &m : run.methods)
    for (const SeedRecord &s : m.seeds)
      for (const EpochRecord &e : s.epochs)
        last = std::max(last, e.epoch);
  return last;
}

// Where a schedule changes, as the epochs of the first seed of each method
// that has one, grouped by value: {first epoch, last epoch} -> methods.
using Marks = std::map<std::pair<int64_t, int64_t>, std::vector<std::string>>;

// The transition: from the first epoch with lambda > 0 to the first with
// lambda = 1 (or the last one).
Marks transitions(const RunFolder &run) {
  Marks marks;
  for (const MethodRecord &m : run.methods) {
    if (m.seeds.empty() || m.seeds.front().epochs.empty())
      continue;
    std::optional<int64_t> start, end;
    for (const EpochRecord &e : m.seeds.front().epochs) {
      if (!start && e.lambda > 0)
        start = e.epoch;
      if (start && !end && e.lambda >= 1)
        end = e.epoch;
    }
    if (start)
      marks[{*start, end.value_or(m.seeds.front().epochs.back().epoch)}]
          .push_back(m.method);
  }
  return marks;
}

// The pool switch: the first epoch with a max-to-avg blend above 0.
Marks poolSwitches(const RunFolder &run) {
  Marks marks;
  for (const MethodRecord &m : run.methods) {
    if (m.seeds.empty())
      continue;
    for (const EpochRecord &e : m.seeds.front().epochs)
      if (e.poolLambda > 0) {
        marks[{e.epoch, e.epoch}].push_back(m.method);
        break;
      }
  }
  return marks;
}

std::string methodsNote(const std::vector<std::string> &methods,
                        size_t groups) {
  return groups > 1 ? " (" + llvm::join(methods, ", ") + ")" : "";
}

// A point at epoch e is the network after epoch e, so a schedule that
// starts at epoch e is marked at e - 1; the axis starts early enough to
// show it.
std::string xAxisOfEpochs(int64_t first, int64_t last) {
  std::string out = fmt::format("  set xrange [{}:{}]\n", number(first - 0.2),
                                number(double(last) + 0.2));
  out += "  set xlabel \"epoch (a point: the network after that epoch)\"\n";
  if (last - first <= 20)
    out += "  set xtics 1\n";
  return out;
}

// The accuracy or loss figure: per method its mean line and min-max band,
// the transitions shaded and the pool switches dashed; none when no run has
// a value.
std::optional<gnuplot::Script> perEpochScript(
    const RunFolder &run, const std::string &title, const std::string &ylabel,
    const std::function<std::optional<double>(const EpochRecord &)> &value,
    bool loss) {
  gnuplot::Script s;
  std::string plots;
  for (auto [i, m] : llvm::enumerate(run.methods)) {
    Band b = bandOf(m, value);
    if (b.epochs.empty())
      continue;
    std::string block = "m" + std::to_string(i);
    s.data += datablock(block, b);
    std::string colour = quote(colourOf(m.method));
    std::string label = m.method;
    if (m.distillation && loss)
      label += " (distillation loss)";
    if (!commonSeeds(run))
      label += ", " + seedsText(m.seeds.size());
    plots += fmt::format("    ${0} using 1:3:4 with filledcurves "
                         "fc rgb {1} fs transparent solid 0.15 noborder "
                         "notitle, \\\n"
                         "    ${0} using 1:2 with linespoints lw 2 pt {2} "
                         "ps 1.2 lc rgb {1} title {3}, \\\n",
                         block, colour, pointTypeOf(m.method), quote(label));
  }
  if (plots.empty())
    return std::nullopt;
  std::string draw = "  set title " + quote(title) + "\n";
  Marks t = transitions(run), p = poolSwitches(run);
  int64_t first = 1;
  for (const Marks *marks : {&t, &p})
    for (const auto &entry : *marks)
      first = std::min(first, entry.first.first - 1);
  draw += xAxisOfEpochs(first, lastEpoch(run));
  draw += "  set ylabel " + quote(ylabel) + "\n";
  // Losses of different methods differ by orders of magnitude (a
  // distillation loss, a collapsing square): a log scale shows them all.
  draw += loss ? "  set logscale y\n" : "  unset logscale y\n";
  draw += "  set grid ytics lc rgb \"#dddddd\"\n"
          "  set key outside right top vertical Left reverse spacing 1.3\n"
          "  unset object\n  unset arrow\n";
  std::string keys;
  int id = 1;
  for (const auto &[epochs, methods] : t) {
    draw += fmt::format("  set object {} rect from {}, graph 0 to {}, "
                        "graph 1 behind fc rgb \"#e4e4e4\" fs solid 1.0 "
                        "noborder\n",
                        id++, epochs.first - 1, epochs.second);
    keys += fmt::format(
        "    keyentry with boxes fc rgb \"#e4e4e4\" fs solid 1.0 noborder "
        "title {}, \\\n",
        quote(fmt::format(
            "transition, λ 0→1 in {}{}",
            epochs.first == epochs.second
                ? fmt::format("epoch {}", epochs.first)
                : fmt::format("epochs {}–{}", epochs.first, epochs.second),
            methodsNote(methods, t.size()))));
  }
  int arrow = 1;
  for (const auto &[epochs, methods] : p) {
    draw += fmt::format("  set arrow {} from {}, graph 0 to {}, graph 1 "
                        "nohead dt 2 lw 2 lc rgb \"#555555\" front\n",
                        arrow++, epochs.first - 1, epochs.first - 1);
    keys += fmt::format(
        "    keyentry with lines dt 2 lw 2 lc rgb \"#555555\" title {}, "
        "\\\n",
        quote(fmt::format("pool switch, max→avg from epoch {}{}", epochs.first,
                          methodsNote(methods, p.size()))));
  }
  s.draw = draw + "  plot \\\n" + plots + keys;
  // The last entry ends in ", \": close the command.
  s.draw.erase(s.draw.size() - 4);
  s.draw += "\n";
  s.width = 1100;
  return s;
}

std::string seedsSubtitle(const RunFolder &run) {
  std::optional<size_t> n = commonSeeds(run);
  if (n == 1u)
    return "one seed";
  return n ? fmt::format("mean over {}, band: min to max", seedsText(*n))
           : "mean over each method's seeds, band: min to max";
}

// ---------------------------------------------------------------------------
// Polynomial layers.

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

std::vector<std::string> polynomialLayers(const RunFolder &run) {
  std::vector<std::string> layers;
  for (const MethodRecord &m : run.methods)
    for (const SeedRecord &s : m.seeds)
      for (const ActivationRecord &a : s.activations)
        if (a.polynomial && a.trainable && !llvm::is_contained(layers, a.layer))
          layers.push_back(a.layer);
  return layers;
}

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

gnuplot::Script polynomialScript(const RunFolder &run, const std::string &layer,
                                 const std::vector<Learned> &learned) {
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
        "  plot \\\n{}      {}\n",
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

// ---------------------------------------------------------------------------
// Input ranges: a bar from min to max per layer and method; on a symmetric
// log scale (sign(y) log10(1 + |y|)) once they pass 100, since a collapsing
// method's inputs grow by orders of magnitude from layer to layer.

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

std::optional<gnuplot::Script> rangesScript(const RunFolder &run) {
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

// ---------------------------------------------------------------------------
// Depth: per op of the critical path, the levels it consumes (bars) and the
// depth reached after it (a step line); methods with the same path share a
// figure.

struct DepthGroup {
  std::vector<DepthStep> path;
  std::optional<int64_t> total;
  std::vector<std::string> methods;
};

std::vector<DepthGroup> depthGroups(const RunFolder &run) {
  std::vector<DepthGroup> groups;
  auto same = [](const std::vector<DepthStep> &a,
                 const std::vector<DepthStep> &b) {
    return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [](auto pair) {
             const auto &[x, y] = pair;
             return x.name == y.name && x.op == y.op && x.cost == y.cost &&
                    x.outLevel == y.outLevel;
           });
  };
  for (const MethodRecord &m : run.methods)
    for (const SeedRecord &s : m.seeds) {
      if (s.criticalPath.empty())
        continue;
      auto it = llvm::find_if(groups, [&](const DepthGroup &g) {
        return same(g.path, s.criticalPath);
      });
      if (it == groups.end())
        groups.push_back({s.criticalPath, s.totalDepth, {m.method}});
      else if (!llvm::is_contained(it->methods, m.method))
        it->methods.push_back(m.method);
      break; // the network's path is the same for every seed
    }
  return groups;
}

gnuplot::Script depthScript(const RunFolder &run, const DepthGroup &g) {
  gnuplot::Script s;
  size_t n = g.path.size();
  s.width = std::clamp(int(160 + 24 * n), 1000, 2400);
  s.height = 650;
  s.data = "$path << EOD\n";
  for (auto [i, step] : llvm::enumerate(g.path))
    s.data += fmt::format("{} {} {} {} {}\n", i + 1, step.cost, step.outLevel,
                          step.op == "he.poly_act" ? 1 : 0, quote(step.name));
  s.data += "EOD\n";
  // Every op is named unless there are too many to read (a label takes
  // some 16 pixels); then every k-th.
  size_t labels = size_t(s.width - 200) / 16;
  size_t every = (n + labels - 1) / labels;
  int64_t total = g.total.value_or(g.path.empty() ? 0 : g.path.back().outLevel);
  // A tic per level while they fit (some 24 pixels each).
  std::string ytics = total <= 20 ? "1" : "autofreq";
  s.draw = fmt::format(
      "  set title {}\n"
      "  set xrange [0.5:{}]\n"
      "  set yrange [0:{}]\n"
      "  set xtics rotate by 60 right\n"
      "  set ytics {}\n"
      "  set grid ytics lc rgb \"#dddddd\"\n"
      "  set xlabel \"op on the critical path, in program order\"\n"
      "  set ylabel \"multiplicative depth (ciphertext levels)\"\n"
      "  set key inside left top vertical Left reverse box opaque\n"
      "  set boxwidth 0.7\n"
      "  set style fill solid 0.8 noborder\n"
      "  plot \\\n"
      "    $path using 1:($4 == 1 ? $2 : NaN):xtic(int($1 - 1) % {} == 0 ? "
      "stringcolumn(5) : \"\") with boxes lc rgb {} title \"levels used by "
      "a polynomial activation\", \\\n"
      "    $path using 1:($4 == 0 ? $2 : NaN) with boxes lc rgb \"#0072B2\" "
      "title \"levels used by another op\", \\\n"
      "    $path using 1:3 with steps lw 2 lc rgb \"#000000\" notitle, \\\n"
      "    $path using 1:3 with points pt 7 ps 0.8 lc rgb \"#000000\" "
      "title \"depth after the op\"\n",
      quote(fmt::format("{}: multiplicative depth along the critical path, "
                        "total {}\n{}",
                        run.experiment, total, llvm::join(g.methods, ", "))),
      number(double(n) + 0.5), total + 2, ytics, every,
      quote(colourOf("tp_st_kd")));
  return s;
}

// results.md's section: each figure inline, with its SVG beside.
std::string figuresMarkdown(const std::vector<Figure> &figures) {
  std::string out =
      "## Figures\n\nDrawn by `hec plot` with gnuplot into `figures/`: each "
      "PNG has an SVG beside it (for papers) and the gnuplot script that "
      "draws both.\n";
  for (const Figure &f : figures)
    out += fmt::format("\n### {0}\n\n![{0}](figures/{1}.png) "
                       "([SVG](figures/{1}.svg))\n",
                       f.title, f.name);
  return out;
}

llvm::Error linkFromResults(const std::string &runDir,
                            const std::vector<Figure> &figures) {
  std::string path = runDir + "/results.md";
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) // no table yet (a sweep stopped before its first run)
    return llvm::Error::success();
  return writeFileAtomically(
      path,
      replaceFiguresSection((*buffer)->getBuffer(),
                            figures.empty() ? "" : figuresMarkdown(figures)));
}

// A layer's name as part of a file name: letters, digits, '.', '-', '_'.
std::string fileSafe(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_'
               ? c
               : '_';
  return out;
}
} // namespace

llvm::Error hec::writeFigures(const std::string &runDir,
                              std::vector<std::string> *drawn) {
  llvm::Expected<RunFolder> run = readRunFolder(runDir);
  if (!run)
    return run.takeError();
  if (auto err = gnuplot::available())
    return err;
  std::string dir = runDir + "/figures";
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return llvm::createStringError(ec, "%s: cannot create the folder: %s",
                                   dir.c_str(), ec.message().c_str());

  std::vector<Figure> figures;
  llvm::Error errors = llvm::Error::success();
  for (const std::string &message : run->unread)
    errors = llvm::joinErrors(
        std::move(errors),
        llvm::createStringError(std::errc::invalid_argument,
                                "%s (the figures are drawn without it)",
                                message.c_str()));
  auto draw = [&](const std::string &name, const std::string &title,
                  const gnuplot::Script &script) {
    if (auto err = gnuplot::draw(dir, name, script)) {
      errors = llvm::joinErrors(std::move(errors), std::move(err));
      return;
    }
    figures.push_back({name, title});
    if (drawn)
      drawn->push_back(name);
  };

  std::string split = run->split;
  if (auto accuracy = perEpochScript(
          *run,
          fmt::format("{}: {} accuracy per epoch\n{}", run->experiment, split,
                      seedsSubtitle(*run)),
          split + " accuracy (%)",
          [](const EpochRecord &e) {
            return std::optional<double>(e.accuracy);
          },
          /*loss=*/false))
    draw("accuracy", split + " accuracy per epoch", *accuracy);
  if (auto loss = perEpochScript(
          *run,
          fmt::format("{}: training loss per epoch\n{}", run->experiment,
                      seedsSubtitle(*run)),
          "mean training loss per batch (log scale)",
          [](const EpochRecord &e) -> std::optional<double> {
            if (e.loss && *e.loss > 0)
              return e.loss;
            return std::nullopt;
          },
          /*loss=*/true))
    draw("loss", "training loss per epoch", *loss);
  for (const std::string &layer : polynomialLayers(*run))
    draw("poly-" + fileSafe(layer), "the learned polynomial of " + layer,
         polynomialScript(*run, layer, learnedAt(*run, layer)));
  if (std::optional<gnuplot::Script> ranges = rangesScript(*run))
    draw("ranges", "each activation's input range", *ranges);
  std::vector<DepthGroup> groups = depthGroups(*run);
  for (const DepthGroup &g : groups)
    draw(groups.size() == 1 ? "depth" : "depth-" + g.methods.front(),
         "depth along the critical path (" + llvm::join(g.methods, ", ") + ")",
         depthScript(*run, g));

  if (auto err = linkFromResults(runDir, figures))
    errors = llvm::joinErrors(std::move(errors), std::move(err));
  return errors;
}
