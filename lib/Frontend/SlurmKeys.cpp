// The [slurm] section of an experiment: the resources of each job that
// `hec --slurm` submits ("" for a string: the cluster's default). Checked here,
// with the rest of the file, so that nothing is submitted that sbatch or the
// run would refuse.
#include "lib/Frontend/SlurmKeys.h"
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

std::optional<std::string> unless(bool ok, const char *expected) {
  if (ok)
    return std::nullopt;
  return std::string(expected);
}
} // namespace

std::optional<std::string>
he::frontend::expectedSlurmPartition(StringRef value) {
  return unless(value.empty() || matches("^[A-Za-z0-9_.,-]+$", value),
                "a partition name (letters, digits, '_', '-', '.'; several "
                "separated by ',')");
}

std::optional<std::string> he::frontend::expectedSlurmMemory(StringRef value) {
  return unless(value.empty() || matches("^[1-9][0-9]*[KMGT]?$", value),
                "a size such as \"8G\" or \"16000M\" (sbatch --mem)");
}

std::optional<std::string> he::frontend::expectedSlurmTime(StringRef value) {
  return unless(
      value.empty() ||
          matches("^(([0-9]+-)?[0-9]+(:[0-9]+){0,2}|UNLIMITED|INFINITE)$",
                  value),
      "a time limit as sbatch --time takes it: minutes, "
      "\"hours:minutes:seconds\" or \"days-hours[:minutes]\"");
}

std::optional<std::string> he::frontend::sbatchArgumentProblem(StringRef arg) {
  StringRef name = arg.split('=').first;
  if (!arg.starts_with("-") || arg.contains('\n'))
    return fmt::format("expected sbatch options such as \"--account=lab\", "
                       "found \"{}\"",
                       arg.str());
  if (llvm::is_contained(kOwnOptions, name))
    return fmt::format("{} is set by hec --slurm itself", name.str());
  return std::nullopt;
}

void he::frontend::readSlurm(Reader &r, Experiment &e) {
  SlurmConfig &s = e.slurm;
  // A string key: read, then checked by one of the definitions above.
  auto readChecked = [&](const char *key, std::string &value,
                         std::optional<std::string> (*expected)(StringRef)) {
    if (!r.read(key, value))
      return;
    if (std::optional<std::string> what = expected(value))
      r.check(false, key, *what, fmt::format("\"{}\"", value));
  };
  readChecked("slurm.partition", s.partition, expectedSlurmPartition);
  int64_t threads = e.training.threads;
  s.cpusPerTask = threads > 0 ? threads : 1;
  if (r.read("slurm.cpus_per_task", s.cpusPerTask) &&
      r.check(s.cpusPerTask >= 1 && s.cpusPerTask <= 256, "slurm.cpus_per_task",
              "an integer in [1, 256]", s.cpusPerTask))
    r.check(threads == 0 || s.cpusPerTask >= threads, "slurm.cpus_per_task",
            fmt::format("at least training.threads = {}", threads),
            s.cpusPerTask);
  readChecked("slurm.memory", s.memory, expectedSlurmMemory);
  readChecked("slurm.time", s.timeLimit, expectedSlurmTime);
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
      if (std::optional<std::string> problem = sbatchArgumentProblem(arg.value))
        r.errorAt(arg.loc, "slurm.sbatch_args", *problem);
      else
        s.extraArgs.push_back(arg.value);
    }
  }
}
