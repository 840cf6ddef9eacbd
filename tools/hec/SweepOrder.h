// The runs of a sweep and their order: for each seed its baseline first,
// then the experiment's other methods in the file's order. A run may need
// its seed's finished baseline (the distillation teacher, or the starting
// weights of training.init = "baseline"): the local sweep runs it after,
// a Slurm submission makes it wait for the baseline's job.
#ifndef HEC_TOOLS_SWEEPORDER_H
#define HEC_TOOLS_SWEEPORDER_H

#include "lib/Frontend/Experiment.h"
#include "tools/hec/RunState.h"

#include <string>
#include <vector>

namespace hec {
struct PlannedRun {
  he::frontend::Method method;
  int64_t seed = 0;
  std::string name() const; ///< "tp_st_kd:111", as --run takes it
};

/// Every (method, seed) of the experiment, in the order they run.
std::vector<PlannedRun> sweepOrder(const he::frontend::Experiment &exp);

/// The methods in the order the sweep runs them for each seed.
std::vector<he::frontend::Method>
methodOrder(const he::frontend::Experiment &exp);

/// <out>/<method>/seed-<seed>
RunFiles runFiles(const std::string &outDir, he::frontend::Method method,
                  int64_t seed);
} // namespace hec

#endif
