#include "tools/hec/SweepOrder.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace he;
using frontend::Method;

std::string hec::PlannedRun::name() const {
  return llvm::formatv("{0}:{1}", frontend::toString(method), seed).str();
}

std::vector<Method> hec::methodOrder(const frontend::Experiment &exp) {
  std::vector<Method> methods = exp.methods;
  std::stable_sort(methods.begin(), methods.end(), [](Method a, Method b) {
    return a == Method::Baseline && b != Method::Baseline;
  });
  return methods;
}

std::vector<hec::PlannedRun> hec::sweepOrder(const frontend::Experiment &exp) {
  std::vector<PlannedRun> runs;
  for (int64_t seed : exp.training.seeds)
    for (Method method : methodOrder(exp))
      runs.push_back({method, seed});
  return runs;
}

hec::RunFiles hec::runFiles(const std::string &outDir, Method method,
                            int64_t seed) {
  return {llvm::formatv("{0}/{1}/seed-{2}", outDir, frontend::toString(method),
                        seed)};
}
