// hec's commands over a whole sweep: train it here (all of it, or one run
// with --run), collect its results (--collect), or submit it to Slurm
// (--slurm). hec.cpp reads the command line into SweepCommandLine.
#ifndef HEC_TOOLS_COMMANDS_H
#define HEC_TOOLS_COMMANDS_H

#include "lib/Frontend/Experiment.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace hec {
struct SweepCommandLine {
  std::string outDir; ///< --out (empty: the experiment's output)
  int64_t maxBatches = 0;
  int64_t epochs = 0;  ///< --epochs (0: the experiment's)
  std::string onlyRun; ///< --run METHOD:SEED
  bool resume = false;
  /// --cores: the cores training.threads = 0 ("all") stands for; 0: the
  /// machine's.
  int64_t threads = 0;
  bool dryRun = false;
  std::string argv0; ///< to find this binary for the job scripts
  /// --partition, --cpus-per-task, ...: over the [slurm] table.
  std::optional<std::string> partition, memory, timeLimit;
  std::optional<int64_t> cpusPerTask, gpus;
  std::vector<std::string> sbatchArgs;

  std::string runFolder(const he::frontend::Experiment &exp) const {
    return outDir.empty() ? exp.output : outDir;
  }
};

/// Prints "hec: error: MESSAGE" on stderr; returns 1 (the exit status).
int fail(const std::string &message);

/// The sweep (or one run of it) on this machine; the process's exit code.
int sweepCommand(const he::frontend::Experiment &exp, mlir::ModuleOp network,
                 const SweepCommandLine &cl);
/// results.md/results.json from the runs that finished; lists the others.
int collectCommand(const he::frontend::Experiment &exp,
                   const SweepCommandLine &cl);
/// Submits the sweep to Slurm (or prints its job scripts with --dry-run).
int slurmCommand(const he::frontend::Experiment &exp,
                 const SweepCommandLine &cl);
} // namespace hec

#endif
