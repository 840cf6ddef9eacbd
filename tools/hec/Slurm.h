// `hec EXPERIMENT.toml --slurm`: the sweep as Slurm jobs, submitted with
// sbatch. One job array per method, one task per seed, each task a
// `hec --run METHOD:SEED`; the methods that need their seed's baseline wait
// for the baseline's task of the same seed (--dependency=aftercorr); a last
// job collects the results once every array has ended. Before its time
// limit a task is signalled (--signal), writes its checkpoint, and requeues
// itself; the requeued task resumes from the checkpoint.
#ifndef HEC_TOOLS_SLURM_H
#define HEC_TOOLS_SLURM_H

#include "lib/Frontend/Experiment.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hec {
/// How the jobs run hec; every path absolute.
struct SlurmSubmission {
  std::string hec;        ///< this binary
  std::string experiment; ///< the experiment file
  std::string outDir;     ///< the run folder (on a shared file system)
  std::string workDir;    ///< where relative paths of the experiment start
  /// Arguments every job passes on (--max-batches, --epochs).
  std::vector<std::string> hecArgs;
  he::frontend::SlurmConfig resources;
};

struct SlurmJob {
  std::string name;   ///< "baseline", "tp_st_kd", "collect"
  std::string script; ///< the batch script
  /// Index into the job list of the array whose task of the same seed this
  /// one waits for (aftercorr); -1: none.
  int afterCorresponding = -1;
  bool afterAll = false; ///< the collect job: after every other (afterany)
  std::string path(const std::string &outDir) const {
    return outDir + "/slurm/" + name + ".sbatch";
  }
};

/// The jobs of the sweep, in submission order.
std::vector<SlurmJob> slurmJobs(const he::frontend::Experiment &exp,
                                const SlurmSubmission &how);

/// The sbatch --dependency value of `jobs[index]`, given the ids of the
/// jobs before it (empty: none).
std::string slurmDependency(const std::vector<SlurmJob> &jobs, size_t index,
                            const std::vector<std::string> &ids);

/// Writes each script to <out>/slurm/ and submits it with `sbatch` (found
/// on PATH); returns the job ids in order. An error names the job and what
/// sbatch said.
llvm::Expected<std::vector<std::string>>
submitSlurmJobs(const std::vector<SlurmJob> &jobs, const std::string &outDir);

/// A word for a shell script, quoted when it needs to be.
std::string shellQuote(const std::string &word);
} // namespace hec

#endif
