#include "tools/hec/FigureScripts.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <fmt/format.h>

#include <algorithm>

using namespace hec;
using gnuplot::number;
using gnuplot::quote;
using namespace hec::figures;

// Depth: per op of the critical path, the levels it consumes (bars) and the
// depth reached after it (a step line); methods with the same path share a
// figure.

std::vector<DepthGroup> figures::depthGroups(const RunFolder &run) {
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

gnuplot::Script figures::depthScript(const RunFolder &run,
                                     const DepthGroup &g) {
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
