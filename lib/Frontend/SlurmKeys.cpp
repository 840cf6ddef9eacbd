// The [slurm] section of an experiment: the resources of each job that
// `hec --slurm` submits ("" for a string: the cluster's default). Checked here,
// with the rest of the file, so that nothing is submitted that sbatch or the
// run would refuse.
#include "lib/Frontend/Experiment.h"
#include "lib/Frontend/ExperimentReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Regex.h"

#include <fmt/format.h>

using namespace he::frontend;
using llvm::StringRef;

namespace {
bool matches(StringRef pattern, StringRef text) {
  return llvm::Regex(pattern).match(text);
}

// hec writes these into every job script itself.
constexpr StringRef kOwnOptions[] = {
    "--array",   "--dependency", "--output",   "--error",     "--signal",
    "--requeue", "--parsable",   "--job-name", "--open-mode", "--wrap"};
} // namespace

void he::frontend::readSlurm(Reader &r, Experiment &e) {
  SlurmConfig &s = e.slurm;
  if (r.read("slurm.partition", s.partition))
    r.check(s.partition.empty() || matches("^[A-Za-z0-9_.,-]+$", s.partition),
            "slurm.partition",
            "a partition name (letters, digits, '_', '-', '.'; several "
            "separated by ',')",
            fmt::format("\"{}\"", s.partition));
  int64_t threads = e.training.threads;
  s.cpusPerTask = threads > 0 ? threads : 1;
  if (r.read("slurm.cpus_per_task", s.cpusPerTask) &&
      r.check(s.cpusPerTask >= 1 && s.cpusPerTask <= 256, "slurm.cpus_per_task",
              "an integer in [1, 256]", s.cpusPerTask))
    r.check(threads == 0 || s.cpusPerTask >= threads, "slurm.cpus_per_task",
            fmt::format("at least training.threads = {}", threads),
            s.cpusPerTask);
  if (r.read("slurm.memory", s.memory))
    r.check(s.memory.empty() || matches("^[1-9][0-9]*[KMGT]?$", s.memory),
            "slurm.memory",
            "a size such as \"8G\" or \"16000M\" (sbatch --mem)",
            fmt::format("\"{}\"", s.memory));
  if (r.read("slurm.time", s.timeLimit))
    r.check(s.timeLimit.empty() ||
                matches("^(([0-9]+-)?[0-9]+(:[0-9]+){0,2}|UNLIMITED|INFINITE)$",
                        s.timeLimit),
            "slurm.time",
            "a time limit as sbatch --time takes it: minutes, "
            "\"hours:minutes:seconds\" or \"days-hours[:minutes]\"",
            fmt::format("\"{}\"", s.timeLimit));
  if (r.read("slurm.gpus", s.gpus) &&
      r.check(s.gpus >= 0 && s.gpus <= 16, "slurm.gpus",
              "an integer in [0, 16]", s.gpus))
    r.check(s.gpus == 0 || e.training.device != Device::Cpu, "slurm.gpus",
            "0 with training.device = \"cpu\" (set it to \"cuda\" to train "
            "on the GPUs)",
            s.gpus);
  if (r.read("slurm.signal_seconds", s.signalSeconds))
    r.check(s.signalSeconds >= 10 && s.signalSeconds <= 65535,
            "slurm.signal_seconds", "seconds in [10, 65535]", s.signalSeconds);
  if (auto args = r.readList<std::string>("slurm.sbatch_args")) {
    for (const Item<std::string> &arg : *args) {
      StringRef text = arg.value;
      StringRef name = text.split('=').first;
      if (!text.starts_with("-") || text.contains('\n'))
        r.errorAt(arg.loc, "slurm.sbatch_args",
                  fmt::format("expected sbatch options such as "
                              "\"--account=lab\", found \"{}\"",
                              arg.value));
      else if (llvm::is_contained(kOwnOptions, name))
        r.errorAt(arg.loc, "slurm.sbatch_args",
                  fmt::format("{} is set by hec --slurm itself", name.str()));
      else
        s.extraArgs.push_back(arg.value);
    }
  }
}
