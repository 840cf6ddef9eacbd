// `hec EXPERIMENT.toml --collect`: the sweep's results from the runs that
// finished in the run folder (their run.json), however they were run (one
// `hec --run` each, on this machine or as Slurm jobs), and the runs that are
// missing, failed or diverged.
#ifndef HEC_TOOLS_COLLECT_H
#define HEC_TOOLS_COLLECT_H

#include "lib/Frontend/Experiment.h"
#include "tools/hec/Results.h"

#include <string>
#include <vector>

namespace hec {
struct Collected {
  /// Every run with a record, failed and diverged ones included, in the
  /// sweep's order.
  std::vector<RunRecord> records;
  /// Runs without a record, as "method:seed" (with why, when its run.json
  /// could not be read).
  std::vector<std::string> missing;
  /// "method:seed failed: why" and "method:seed diverged: why".
  std::vector<std::string> problems;
  bool complete() const;
};

/// Reads the run record of every run of `exp` in `outDir`, written for the
/// settings `fingerprint` names.
Collected collectRuns(const he::frontend::Experiment &exp,
                      const std::string &outDir,
                      const std::string &fingerprint);

/// The class names the records carry (the first that has them).
std::vector<std::string> classNamesOf(const std::vector<RunRecord> &records);
} // namespace hec

#endif
