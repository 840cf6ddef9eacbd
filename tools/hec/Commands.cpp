#include "tools/hec/Commands.h"

#include "lib/Frontend/SlurmKeys.h"
#include "tools/hec/Collect.h"
#include "tools/hec/ExperimentData.h"
#include "tools/hec/Figures.h"
#include "tools/hec/ModelInfo.h"
#include "tools/hec/RunState.h"
#include "tools/hec/Signals.h"
#include "tools/hec/Slurm.h"
#include "tools/hec/Sweep.h"
#include "tools/hec/SweepOrder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/core.h>

#include <cstring>
#include <tuple>

using namespace he;
using namespace hec;

namespace {
std::vector<std::string> methodNames(const frontend::Experiment &exp) {
  std::vector<std::string> order;
  for (frontend::Method m : exp.methods)
    order.push_back(frontend::toString(m).str());
  return order;
}

// The options a later command (or a job) must repeat to find the same
// runs, --out aside.
std::vector<std::string> sameRunsArgs(const SweepCommandLine &cl) {
  std::vector<std::string> args;
  if (cl.maxBatches)
    llvm::append_range(args,
                       std::vector<std::string>{"--max-batches",
                                                std::to_string(cl.maxBatches)});
  if (cl.epochs)
    llvm::append_range(
        args, std::vector<std::string>{"--epochs", std::to_string(cl.epochs)});
  return args;
}

// The same, --out included, for a command line printed as a hint.
std::string sameRunsOptions(const SweepCommandLine &cl) {
  std::string s;
  if (!cl.outDir.empty())
    s += " --out " + shellQuote(cl.outDir);
  for (const std::string &arg : sameRunsArgs(cl))
    s += " " + shellQuote(arg);
  return s;
}

// What is wrong with the --slurm options, checked as their [slurm] keys
// are (lib/Frontend/SlurmKeys.h), else std::nullopt.
std::optional<std::string> slurmOptionProblem(const SweepCommandLine &cl) {
  using Expected = std::optional<std::string> (*)(llvm::StringRef);
  std::tuple<const char *, const std::optional<std::string> &, Expected>
      strings[] = {
          {"--partition", cl.partition, frontend::expectedSlurmPartition},
          {"--mem", cl.memory, frontend::expectedSlurmMemory},
          {"--time", cl.timeLimit, frontend::expectedSlurmTime}};
  for (auto &[option, value, expected] : strings)
    if (value)
      if (std::optional<std::string> what = expected(*value))
        return fmt::format("{} \"{}\": expected {}", option, *value, *what);
  if (cl.gpus && (*cl.gpus < 0 || *cl.gpus > 16))
    return "--gpus must be in [0, 16]";
  for (const std::string &arg : cl.sbatchArgs)
    if (std::optional<std::string> problem =
            frontend::sbatchArgumentProblem(arg))
      return "--sbatch-arg: " + *problem;
  return std::nullopt;
}

// The figures of the run folder (Figures.h); a warning when they cannot be
// drawn: the results are written either way.
void drawFigures(const std::string &out) {
  std::vector<std::string> drawn;
  if (auto err = writeFigures(out, &drawn))
    fmt::print(stderr, "hec: warning: figures: {}\n",
               llvm::toString(std::move(err)));
  if (!drawn.empty())
    fmt::print("figures: {}/figures/ ({})\n", out, llvm::join(drawn, ", "));
}

std::string absolute(const std::string &path) {
  llvm::SmallString<256> p(path);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return p.str().str();
}
} // namespace

int hec::fail(const std::string &message) {
  fmt::print(stderr, "hec: error: {}\n", message);
  return 1;
}

int hec::sweepCommand(const frontend::Experiment &exp, mlir::ModuleOp network,
                      const SweepCommandLine &cl) {
  SweepOptions options;
  options.outDir = cl.runFolder(exp);
  options.maxBatchesPerEpoch = cl.maxBatches;
  options.resume = cl.resume || !cl.onlyRun.empty();
  options.allCores = cl.threads;
  if (!cl.onlyRun.empty()) {
    llvm::StringRef text = cl.onlyRun, method, seed;
    std::tie(method, seed) = text.split(':');
    std::optional<frontend::Method> m = frontend::parseMethod(method);
    int64_t s = 0;
    if (!m || seed.getAsInteger(10, s))
      return fail("--run " + cl.onlyRun +
                  ": expected METHOD:SEED, e.g. baseline:111");
    if (!exp.hasMethod(*m) || !llvm::is_contained(exp.training.seeds, s))
      return fail("--run " + cl.onlyRun + ": not a run of " + exp.file +
                  " (its methods and training.seeds)");
    options.only = {*m, s};
  }
  options.stopRequested = stopRequested;
  try {
    checkOutputApart(
        options.outDir, exp.model.isFile() ? exp.model.name : "",
        exp.data.kind == frontend::DataKind::ImageFolder ? exp.data.path : "");
  } catch (const he::runtime::Error &e) {
    return fail(e.what());
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outDir))
    return fail("cannot create the run folder " + options.outDir + ": " +
                ec.message());
  Splits data = loadExperimentData(exp, /*progress=*/true);
  if (auto err = writeSkippedImages(options.outDir, data.skipped))
    return fail(llvm::toString(std::move(err)));
  std::vector<std::string> order = methodNames(exp);
  llvm::Error writeError = llvm::Error::success();
  // One run alone does not rewrite the sweep's results.
  if (!options.only)
    options.onRun = [&](const std::vector<RunRecord> &soFar) {
      if (auto err = writeResults(options.outDir, exp.name, order, soFar,
                                  exp.model.classes, data.evaluated,
                                  classNamesOf(data.train)))
        writeError = llvm::joinErrors(std::move(writeError), std::move(err));
    };
  std::vector<RunRecord> runs = runSweep(exp, network, data, options);
  if (writeError)
    return fail(llvm::toString(std::move(writeError)));
  if (int signal = stopSignal()) {
    fmt::print(stderr,
               "hec: stopped by {}; the run in progress kept its "
               "checkpoint. Resume with:\n  hec {}{} {}\n",
               strsignal(signal), exp.file, sameRunsOptions(cl),
               options.only ? "--run " + cl.onlyRun : "--resume");
    return 128 + signal;
  }
  bool failed = llvm::any_of(runs, [](const RunRecord &r) { return r.failed; });
  if (options.only)
    return failed ? 1 : 0;
  fmt::print("\nOn the {} split:\n\n{}\nresults: {}/results.md, "
             "{}/results.json\n",
             data.evaluated, resultsTable(order, runs, exp.model.classes),
             options.outDir, options.outDir);
  drawFigures(options.outDir);
  return failed ? 1 : 0;
}

int hec::collectCommand(const frontend::Experiment &exp,
                        const SweepCommandLine &cl) {
  std::string out = cl.runFolder(exp);
  if (!llvm::sys::fs::is_directory(out))
    return fail("--collect: no run folder " + out);
  Collected c = collectRuns(exp, out, runFingerprint(exp, cl.maxBatches));
  std::vector<std::string> order = methodNames(exp);
  std::string split = evaluatedSplit(exp);
  if (auto err =
          writeResults(out, exp.name, order, c.records, exp.model.classes,
                       split, classNamesOf(c.records)))
    return fail(llvm::toString(std::move(err)));
  size_t runs = sweepOrder(exp).size();
  fmt::print("{} of {} runs finished in {}\n", c.records.size(), runs, out);
  if (!c.records.empty())
    fmt::print("\nOn the {} split:\n\n{}\n", split,
               resultsTable(order, c.records, exp.model.classes));
  for (const std::string &problem : c.problems)
    fmt::print("  {}\n", problem);
  if (!c.missing.empty()) {
    fmt::print("missing ({}):\n", c.missing.size());
    for (const std::string &run : c.missing)
      fmt::print("  {}\n", run);
    fmt::print("train each with: hec {}{} --run METHOD:SEED\n", exp.file,
               sameRunsOptions(cl));
  }
  fmt::print("results: {}/results.md, {}/results.json\n", out, out);
  if (!c.records.empty())
    drawFigures(out);
  return c.complete() ? 0 : 1;
}

int hec::slurmCommand(const frontend::Experiment &exp,
                      const SweepCommandLine &cl) {
  SlurmSubmission how;
  std::string self = llvm::sys::fs::getMainExecutable(
      cl.argv0.c_str(), reinterpret_cast<void *>(&hec::slurmCommand));
  how.hec = self.empty() ? absolute(cl.argv0) : self;
  how.experiment = absolute(exp.file);
  how.outDir = absolute(cl.runFolder(exp));
  llvm::SmallString<256> cwd;
  llvm::sys::fs::current_path(cwd);
  how.workDir = cwd.str().str();
  how.hecArgs = sameRunsArgs(cl);
  if (std::optional<std::string> problem = slurmOptionProblem(cl))
    return fail(*problem);
  how.resources = exp.slurm;
  frontend::SlurmConfig &r = how.resources;
  if (cl.partition)
    r.partition = *cl.partition;
  if (cl.memory)
    r.memory = *cl.memory;
  if (cl.timeLimit)
    r.timeLimit = *cl.timeLimit;
  if (cl.cpusPerTask)
    r.cpusPerTask = *cl.cpusPerTask;
  if (cl.gpus)
    r.gpus = *cl.gpus;
  llvm::append_range(r.extraArgs, cl.sbatchArgs);
  if (r.cpusPerTask < 1 || r.cpusPerTask > 256)
    return fail("--cpus-per-task must be in [1, 256]");
  if (exp.training.threads > 0 && r.cpusPerTask < exp.training.threads)
    return fail(fmt::format("--cpus-per-task {} is fewer than "
                            "training.threads = {} of {}",
                            r.cpusPerTask, exp.training.threads, exp.file));
  if (r.gpus > 0 && exp.training.device == frontend::Device::Cpu)
    return fail("--gpus with training.device = \"cpu\" in " + exp.file +
                " (set it to \"cuda\" to train on the GPUs)");

  std::vector<SlurmJob> jobs = slurmJobs(exp, how);
  if (cl.dryRun) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < jobs.size(); ++i)
      ids.push_back("<" + jobs[i].name + " job>");
    for (size_t i = 0; i < jobs.size(); ++i) {
      std::string dependency = slurmDependency(jobs, i, ids);
      fmt::print("# sbatch --parsable{} {}\n{}\n",
                 dependency.empty() ? "" : " --dependency=" + dependency,
                 jobs[i].path(how.outDir), jobs[i].script);
    }
    return 0;
  }
  llvm::Expected<std::vector<std::string>> ids =
      submitSlurmJobs(jobs, how.outDir);
  if (!ids)
    return fail(llvm::toString(ids.takeError()));
  fmt::print("submitted {} Slurm jobs for {} ({} runs):\n", jobs.size(),
             exp.file, sweepOrder(exp).size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    const SlurmJob &job = jobs[i];
    std::string what =
        job.afterAll ? "the results, once every other job has ended"
                     : fmt::format("{} seed{}", exp.training.seeds.size(),
                                   exp.training.seeds.size() == 1 ? "" : "s");
    if (job.afterCorresponding >= 0)
      what += ", each after its seed's " +
              jobs[size_t(job.afterCorresponding)].name;
    fmt::print("  {:<12} job {:<10} {}\n", job.name, (*ids)[i], what);
  }
  fmt::print("results: {}/results.md and results.json when job {} ends\n"
             "job scripts and logs: {}/slurm/\n"
             "watch: squeue -j {}\n",
             how.outDir, ids->back(), how.outDir, llvm::join(*ids, ","));
  return 0;
}
