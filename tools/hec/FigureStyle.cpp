#include "tools/hec/FigureScripts.h"

#include "llvm/ADT/STLExtras.h"

#include <set>

using namespace hec;

namespace {
const std::pair<const char *, const char *> methodColours[] = {
    {"baseline", "#000000"}, {"square", "#E69F00"}, {"approx_relu", "#56B4E9"},
    {"tp", "#009E73"},       {"tp_st", "#0072B2"},  {"tp_st_kd", "#D55E00"}};
} // namespace

std::string figures::colourOf(const std::string &method) {
  for (const auto &[m, c] : methodColours)
    if (method == m)
      return c;
  return "#CC79A7";
}

int figures::pointTypeOf(const std::string &method) {
  for (auto [i, entry] : llvm::enumerate(methodColours))
    if (method == entry.first)
      return int(i) + 1;
  return 8;
}

std::string figures::seedsText(size_t n) {
  return n == 1 ? "1 seed" : std::to_string(n) + " seeds";
}

std::optional<size_t> figures::commonSeeds(const RunFolder &run) {
  std::set<size_t> counts;
  for (const MethodRecord &m : run.methods)
    counts.insert(m.seeds.size());
  if (counts.size() == 1)
    return *counts.begin();
  return std::nullopt;
}
