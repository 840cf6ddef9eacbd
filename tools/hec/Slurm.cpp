#include "tools/hec/Slurm.h"

#include "lib/Frontend/Methods.h"

#include "tools/hec/Results.h"
#include "tools/hec/SweepOrder.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <fmt/format.h>

using namespace he;
using namespace hec;
using frontend::Method;

std::string hec::shellQuote(const std::string &word) {
  if (!word.empty() && llvm::all_of(word, [](char c) {
        return llvm::isAlnum(c) || llvm::StringRef("@%+=:,./_-").contains(c);
      }))
    return word;
  std::string out = "'";
  for (char c : word)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {
std::string joined(const std::vector<std::string> &words) {
  std::string out;
  for (const std::string &w : words)
    out += (out.empty() ? "" : " ") + shellQuote(w);
  return out;
}

// The #SBATCH lines every job shares: the resources of [slurm].
std::string resourceLines(const frontend::SlurmConfig &s, bool training) {
  std::string out;
  auto line = [&](const std::string &option) {
    out += "#SBATCH " + option + "\n";
  };
  if (!s.partition.empty())
    line("--partition=" + s.partition);
  if (!s.timeLimit.empty())
    line("--time=" + s.timeLimit);
  if (training) {
    line(fmt::format("--cpus-per-task={}", s.cpusPerTask));
    if (!s.memory.empty())
      line("--mem=" + s.memory);
    if (s.gpus > 0)
      line(fmt::format("--gres=gpu:{}", s.gpus));
  }
  for (const std::string &arg : s.extraArgs)
    line(shellQuote(arg));
  return out;
}

std::string header(const frontend::Experiment &exp, const SlurmSubmission &how,
                   const std::string &job, const std::string &output) {
  return fmt::format("#!/bin/bash\n"
                     "# Written by hec --slurm for {}.\n"
                     "#SBATCH --job-name={}\n"
                     "#SBATCH --output={}\n"
                     "#SBATCH --open-mode=append\n",
                     how.experiment, shellQuote("hec-" + exp.name + "-" + job),
                     shellQuote(how.outDir + "/slurm/" + output));
}

// hec with the experiment, the run folder and the options every job passes.
std::string hecCommand(const SlurmSubmission &how) {
  std::vector<std::string> words = {how.hec, how.experiment, "--out",
                                    how.outDir};
  words.insert(words.end(), how.hecArgs.begin(), how.hecArgs.end());
  return joined(words);
}

std::string trainingScript(const frontend::Experiment &exp,
                           const SlurmSubmission &how, Method method) {
  std::string name = frontend::toString(method).str();
  std::vector<std::string> seeds;
  for (int64_t seed : exp.training.seeds)
    seeds.push_back(std::to_string(seed));
  std::string s = header(exp, how, name, name + "-%a.out");
  s += fmt::format("#SBATCH --array=0-{}\n"
                   "#SBATCH --requeue\n"
                   "#SBATCH --signal=B:USR1@{}\n"
                   "#SBATCH --kill-on-invalid-dep=yes\n",
                   seeds.size() - 1, how.resources.signalSeconds);
  s += resourceLines(how.resources, true);
  s += fmt::format(
      "\n# One task per seed.\n"
      "seeds=({})\n"
      "seed=${{seeds[$SLURM_ARRAY_TASK_ID]}}\n"
      "cd {} || exit 1\n"
      "echo \"hec: job $SLURM_JOB_ID on $(hostname), {}:$seed, $(date)\"\n"
      "{} --run {}:\"$seed\" --cores \"${{SLURM_CPUS_PER_TASK:-1}}\" &\n"
      "run=$!\n"
      "# Before the time limit (--signal), or on\n"
      "#   scancel --signal=USR1 --batch JOB\n"
      "# the run writes its checkpoint and stops (exit 143); the job is then\n"
      "# requeued and resumes from the checkpoint.\n"
      "trap 'kill -TERM \"$run\" 2>/dev/null' USR1 TERM\n"
      "while :; do\n"
      "  wait \"$run\"; status=$?\n"
      "  kill -0 \"$run\" 2>/dev/null || break\n"
      "done\n"
      "if [ \"$status\" -eq 143 ]; then\n"
      "  echo \"hec: stopped at a checkpoint; requeueing job $SLURM_JOB_ID\"\n"
      "  scontrol requeue \"$SLURM_JOB_ID\"\n"
      "fi\n"
      "exit \"$status\"\n",
      llvm::join(seeds, " "), shellQuote(how.workDir), name, hecCommand(how),
      name);
  return s;
}

std::string collectScript(const frontend::Experiment &exp,
                          const SlurmSubmission &how) {
  std::string s = header(exp, how, "collect", "collect.out");
  s += resourceLines(how.resources, false);
  s += fmt::format("\n# The results of every run that finished.\n"
                   "cd {} || exit 1\n"
                   "exec {} --collect\n",
                   shellQuote(how.workDir), hecCommand(how));
  return s;
}
} // namespace

std::vector<SlurmJob> hec::slurmJobs(const frontend::Experiment &exp,
                                     const SlurmSubmission &how) {
  std::vector<SlurmJob> jobs;
  int baseline = -1;
  for (Method method : methodOrder(exp)) {
    SlurmJob job;
    job.name = frontend::toString(method).str();
    job.script = trainingScript(exp, how, method);
    if (frontend::needsBaseline(exp, method))
      job.afterCorresponding = baseline;
    if (method == Method::Baseline)
      baseline = int(jobs.size());
    jobs.push_back(std::move(job));
  }
  SlurmJob collect;
  collect.name = "collect";
  collect.script = collectScript(exp, how);
  collect.afterAll = true;
  jobs.push_back(std::move(collect));
  return jobs;
}

std::string hec::slurmDependency(const std::vector<SlurmJob> &jobs,
                                 size_t index,
                                 const std::vector<std::string> &ids) {
  const SlurmJob &job = jobs[index];
  if (job.afterAll)
    return "afterany:" + llvm::join(ids.begin(), ids.begin() + index, ":");
  if (job.afterCorresponding >= 0)
    return "aftercorr:" + ids[size_t(job.afterCorresponding)];
  return "";
}

llvm::Expected<std::vector<std::string>>
hec::submitSlurmJobs(const std::vector<SlurmJob> &jobs,
                     const std::string &outDir) {
  auto error = [](const std::string &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   message.c_str());
  };
  llvm::ErrorOr<std::string> sbatch = llvm::sys::findProgramByName("sbatch");
  if (!sbatch)
    return error("hec --slurm submits with Slurm's sbatch, which is not on "
                 "PATH (run it where Slurm's client commands are installed)");
  if (std::error_code ec = llvm::sys::fs::create_directories(outDir + "/slurm"))
    return error("cannot create " + outDir + "/slurm: " + ec.message());
  llvm::SmallString<128> answer;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("hec-sbatch", "out", answer))
    return error("cannot create a temporary file: " + ec.message());
  std::vector<std::string> ids;
  for (size_t i = 0; i < jobs.size(); ++i) {
    std::string path = jobs[i].path(outDir);
    if (auto err = writeFileAtomically(path, jobs[i].script))
      return err;
    std::vector<llvm::StringRef> args = {*sbatch, "--parsable"};
    std::string dependency = slurmDependency(jobs, i, ids);
    std::string dependencyArg = "--dependency=" + dependency;
    if (!dependency.empty())
      args.push_back(dependencyArg);
    args.push_back(path);
    std::string message;
    std::optional<llvm::StringRef> redirects[] = {std::nullopt, answer.str(),
                                                  answer.str()};
    int rc = llvm::sys::ExecuteAndWait(*sbatch, args, std::nullopt, redirects,
                                       0, 0, &message);
    auto out = llvm::MemoryBuffer::getFile(answer);
    std::string said =
        out ? llvm::StringRef((*out)->getBuffer()).trim().str() : "";
    llvm::sys::fs::remove(answer);
    // --parsable: "ID" or "ID;CLUSTER".
    std::string id = llvm::StringRef(said).split(';').first.trim().str();
    if (rc != 0 || id.empty() || !llvm::all_of(id, llvm::isDigit))
      return error(fmt::format(
          "sbatch refused the {} job ({}{}): {}", jobs[i].name, path,
          ids.empty() ? "" : "; submitted before it: " + llvm::join(ids, " "),
          !said.empty()     ? said
          : message.empty() ? "no answer"
                            : message));
    ids.push_back(id);
  }
  return ids;
}
