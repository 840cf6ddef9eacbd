#include "tools/hec/FigureScripts.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

using namespace hec;
using gnuplot::number;
using gnuplot::quote;
using namespace hec::figures;

namespace {
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
} // namespace

std::optional<gnuplot::Script> figures::accuracyScript(const RunFolder &run) {
  return perEpochScript(
      run,
      fmt::format("{}: {} accuracy per epoch\n{}", run.experiment, run.split,
                  seedsSubtitle(run)),
      run.split + " accuracy (%)",
      [](const EpochRecord &e) { return std::optional<double>(e.accuracy); },
      /*loss=*/false);
}

std::optional<gnuplot::Script> figures::lossScript(const RunFolder &run) {
  return perEpochScript(
      run,
      fmt::format("{}: training loss per epoch\n{}", run.experiment,
                  seedsSubtitle(run)),
      "mean training loss per batch (log scale)",
      [](const EpochRecord &e) -> std::optional<double> {
        if (e.loss && *e.loss > 0)
          return e.loss;
        return std::nullopt;
      },
      /*loss=*/true);
}
