// One run of a sweep, (method, seed): resumed from its checkpoint or found
// finished in the run folder, else trained with its method's passes and
// schedule, emitted (EmitModel.h), re-read from disk and evaluated, and
// recorded in run.json. What it does is told to a Reporter.
#ifndef HEC_TOOLS_RUNONE_H
#define HEC_TOOLS_RUNONE_H

#include "tools/hec/Reporter.h"
#include "tools/hec/RunInputs.h"
#include "tools/hec/RunState.h"
#include "tools/hec/Sweep.h"

#include <optional>

namespace hec {
class RunTrainer {
public:
  RunTrainer(const he::frontend::Experiment &exp, mlir::ModuleOp network,
             const Splits &data, const SweepOptions &options,
             Reporter &reporter);

  /// Before training `runs` runs: the run folder takes a checkpoint, and
  /// (a warning) has room for every run's files.
  void checkOutput(size_t runs);

  /// A new seed: no baseline has finished for it yet.
  void startSeed() { inputs_.setBaseline(""); }

  /// Trains (or resumes, or finds finished) one run; nullopt when a stop
  /// request interrupted it (its checkpoint has the rest).
  std::optional<RunRecord> run(he::frontend::Method method, int64_t seed);

  /// With --run: the seed's baseline that finished in the run folder, if
  /// there is one, for the run that needs it.
  void useFinishedBaseline(int64_t seed);

private:
  /// run.json of a finished run (diverged ones included); nullopt: none.
  llvm::Expected<std::optional<RunRecord>> finished(const RunFiles &files);
  bool train(he::frontend::Method method, int64_t seed, const RunFiles &files,
             const std::string &label, RunRecord &rec,
             const he::runtime::Checkpoint *resume);
  // Every batch of epoch `m` skipped (training.keep_going_on_nan).
  bool allSkipped(const he::runtime::EpochMetrics &m) const;

  const he::frontend::Experiment &exp_;
  mlir::ModuleOp network_;
  const Splits &data_;
  const SweepOptions &options_;
  Reporter &reporter_;
  torch::Device device_;
  std::string fingerprint_;
  RunInputs inputs_;
};
} // namespace hec

#endif
