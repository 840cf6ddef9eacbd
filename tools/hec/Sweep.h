// The sweep of an experiment on this machine: every run of SweepOrder.h in
// turn (RunOne.h trains each), the baseline of each seed first so it can
// teach the distilled method; or, with SweepOptions::only, one of them.
#ifndef HEC_TOOLS_SWEEP_H
#define HEC_TOOLS_SWEEP_H

#include "tools/hec/ExperimentData.h"
#include "tools/hec/Reporter.h"
#include "tools/hec/Results.h"

#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <optional>

namespace hec {
struct SweepOptions {
  std::string outDir;             ///< the run folder
  int64_t maxBatchesPerEpoch = 0; ///< > 0: a quick run over a prefix
  /// Continue every unfinished run from its checkpoint and keep the records
  /// of finished ones (run.json); without it every run starts over.
  bool resume = false;
  /// Polled at batch boundaries and between runs: true stops the sweep;
  /// the run in progress writes a checkpoint and is not recorded.
  std::function<bool()> stopRequested;
  /// Called after every run with the records so far (the results files are
  /// rewritten then, so a sweep cut short keeps what it finished).
  std::function<void(const std::vector<RunRecord> &)> onRun;
  /// Only this (method, seed) of the sweep (hec --run METHOD:SEED): resumed
  /// from its checkpoint, skipped when finished; a method that needs its
  /// seed's baseline takes the one finished in the run folder.
  std::optional<std::pair<he::frontend::Method, int64_t>> only;
  /// The cores training.threads = 0 ("all") stands for (hec --cores, a
  /// Slurm job's CPUs); 0: the machine's. Not part of the fingerprint, as
  /// "all cores" is not.
  int64_t allCores = 0;
  /// Told what the runs do (nullptr: the terminal, makeConsoleReporter).
  Reporter *reporter = nullptr;
};

/// Runs the sweep over `network` (the experiment's ReLU network) and returns
/// one record per (method, seed), in run order. A run that diverges or fails
/// is recorded as such and the sweep goes on.
std::vector<RunRecord> runSweep(const he::frontend::Experiment &experiment,
                                mlir::ModuleOp network, const Splits &data,
                                const SweepOptions &options);

/// The device the experiment asks for: CUDA for "cuda" (an error when none
/// is available) and for "auto" when one is, else the CPU.
torch::Device chooseDevice(he::frontend::Device device);
} // namespace hec

#endif
