// hec --slurm without a cluster: the jobs of a sweep (an array per method,
// the distilled one after its seed's baseline, a collect job after all),
// their scripts, and the sbatch calls, made against a stand-in sbatch that
// records its arguments. test/hec/slurm_*.test run them on a real Slurm.
#include "tools/hec/Slurm.h"
#include "test/unit/hec/ExperimentText.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace hec;

namespace {
using hec::test::parseExperimentText;

SlurmSubmission submission(const he::frontend::Experiment &exp,
                           const std::string &out = "/shared/run") {
  SlurmSubmission how;
  how.hec = "/opt/hec/bin/hec";
  how.experiment = "/home/me/my exp.toml";
  how.outDir = out;
  how.workDir = "/home/me";
  how.hecArgs = {"--epochs", "2"};
  how.resources = exp.slurm;
  return how;
}

const char *kSweep = R"(
methods = ["tp", "tp_st_kd", "baseline"]
[data]
kind = "synthetic"
[training]
seeds = [1, 2, 3]
threads = 2
[slurm]
partition = "short"
memory = "4G"
time = "30:00"
signal_seconds = 120
sbatch_args = ["--account=lab"]
)";

TEST(SlurmTest, AnArrayPerMethodTheDistilledOneAfterItsBaseline) {
  he::frontend::Experiment exp = parseExperimentText(kSweep);
  std::vector<SlurmJob> jobs = slurmJobs(exp, submission(exp));
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0].name, "baseline"); // first, whatever the file's order
  EXPECT_EQ(jobs[1].name, "tp");
  EXPECT_EQ(jobs[2].name, "tp_st_kd");
  EXPECT_EQ(jobs[3].name, "collect");
  std::vector<std::string> ids = {"10", "11", "12"};
  EXPECT_EQ(slurmDependency(jobs, 0, ids), "");
  EXPECT_EQ(slurmDependency(jobs, 1, ids), ""); // tp needs no baseline
  EXPECT_EQ(slurmDependency(jobs, 2, ids), "aftercorr:10");
  EXPECT_EQ(slurmDependency(jobs, 3, ids), "afterany:10:11:12");
  EXPECT_EQ(jobs[2].path("/shared/run"), "/shared/run/slurm/tp_st_kd.sbatch");

  // Every method starts from the baseline's weights: all wait for it.
  he::frontend::Experiment warm = parseExperimentText(R"(
methods = ["baseline", "tp"]
[data]
kind = "synthetic"
[training]
init = "baseline"
)");
  std::vector<SlurmJob> warmJobs = slurmJobs(warm, submission(warm));
  EXPECT_EQ(slurmDependency(warmJobs, 1, {"7"}), "aftercorr:7");
}

TEST(SlurmTest, TheScriptsCarryTheResourcesAndTheRequeue) {
  he::frontend::Experiment exp = parseExperimentText(kSweep);
  std::vector<SlurmJob> jobs = slurmJobs(exp, submission(exp));
  const std::string &s = jobs[2].script;
  for (const char *line :
       {"#!/bin/bash\n", "#SBATCH --job-name=hec-x-tp_st_kd\n",
        "#SBATCH --output=/shared/run/slurm/tp_st_kd-%a.out\n",
        "#SBATCH --array=0-2\n", "#SBATCH --requeue\n",
        "#SBATCH --signal=B:USR1@120\n", "#SBATCH --partition=short\n",
        "#SBATCH --time=30:00\n", "#SBATCH --cpus-per-task=2\n",
        "#SBATCH --mem=4G\n", "#SBATCH --account=lab\n", "seeds=(1 2 3)\n",
        "cd /home/me || exit 1\n",
        "/opt/hec/bin/hec '/home/me/my exp.toml' --out /shared/run --epochs "
        "2 --run tp_st_kd:\"$seed\" --cores \"${SLURM_CPUS_PER_TASK:-1}\" "
        "&\n",
        "scontrol requeue \"$SLURM_JOB_ID\"\n"})
    EXPECT_NE(s.find(line), std::string::npos) << line << "\nnot in\n" << s;
  EXPECT_EQ(s.find("--gres"), std::string::npos);
  // The collect job: no array, no CPUs or memory of a training job.
  const std::string &c = jobs[3].script;
  EXPECT_NE(c.find("exec /opt/hec/bin/hec '/home/me/my exp.toml' --out "
                   "/shared/run --epochs 2 --collect\n"),
            std::string::npos)
      << c;
  EXPECT_EQ(c.find("--array"), std::string::npos);
  EXPECT_EQ(c.find("--mem"), std::string::npos);
}

TEST(SlurmTest, ShellWordsAreQuotedWhenTheyNeedIt) {
  EXPECT_EQ(shellQuote("/a/b-c_d.toml"), "/a/b-c_d.toml");
  EXPECT_EQ(shellQuote("my run"), "'my run'");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(shellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(shellQuote(""), "''");
}

// A stand-in sbatch on PATH: records each call's arguments, answers the
// next id as --parsable does ("ID;CLUSTER").
class FakeSbatch : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hec-sbatch", dir));
    dir_ = dir.str().str();
    std::ofstream(dir_ + "/sbatch")
        << "#!/bin/sh\n"
           "n=$(cat " +
               dir_ +
               "/n 2>/dev/null || echo 40)\n"
               "n=$((n + 1)); echo $n > " +
               dir_ +
               "/n\n"
               "echo \"$@\" >> " +
               dir_ +
               "/calls\n"
               "if [ -n \"$REFUSE\" ] && [ $n -ge $REFUSE ]; then\n"
               "  echo 'sbatch: error: Invalid partition name specified' >&2; "
               "exit 1; fi\n"
               "echo \"$n;cluster\"\n";
    llvm::sys::fs::setPermissions(
        dir_ + "/sbatch", llvm::sys::fs::all_exe | llvm::sys::fs::owner_all);
    path_ = getenv("PATH") ? getenv("PATH") : "";
    setenv("PATH", (dir_ + ":" + path_).c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", path_.c_str(), 1);
    unsetenv("REFUSE");
    llvm::sys::fs::remove_directories(dir_);
  }
  std::string calls() {
    auto buffer = llvm::MemoryBuffer::getFile(dir_ + "/calls");
    return buffer ? (*buffer)->getBuffer().str() : "";
  }
  std::string dir_, path_;
};

TEST_F(FakeSbatch, SubmitsInOrderWithTheDependencies) {
  he::frontend::Experiment exp = parseExperimentText(kSweep);
  std::string out = dir_ + "/run";
  std::vector<SlurmJob> jobs = slurmJobs(exp, submission(exp, out));
  llvm::Expected<std::vector<std::string>> ids = submitSlurmJobs(jobs, out);
  ASSERT_TRUE(bool(ids)) << llvm::toString(ids.takeError());
  EXPECT_EQ(*ids, (std::vector<std::string>{"41", "42", "43", "44"}));
  EXPECT_EQ(calls(), "--parsable " + out +
                         "/slurm/baseline.sbatch\n"
                         "--parsable " +
                         out +
                         "/slurm/tp.sbatch\n"
                         "--parsable --dependency=aftercorr:41 " +
                         out +
                         "/slurm/tp_st_kd.sbatch\n"
                         "--parsable --dependency=afterany:41:42:43 " +
                         out + "/slurm/collect.sbatch\n");
  // The scripts stay in the run folder, as submitted.
  auto script = llvm::MemoryBuffer::getFile(out + "/slurm/tp.sbatch");
  ASSERT_TRUE(bool(script));
  EXPECT_EQ((*script)->getBuffer().str(), jobs[1].script);
}

TEST_F(FakeSbatch, ARefusalNamesTheJobAndWhatWasSubmitted) {
  setenv("REFUSE", "43", 1);
  he::frontend::Experiment exp = parseExperimentText(kSweep);
  std::string out = dir_ + "/run";
  llvm::Expected<std::vector<std::string>> ids =
      submitSlurmJobs(slurmJobs(exp, submission(exp, out)), out);
  ASSERT_FALSE(bool(ids));
  EXPECT_EQ(llvm::toString(ids.takeError()),
            "sbatch refused the tp_st_kd job (" + out +
                "/slurm/tp_st_kd.sbatch; submitted before it: 41 42): "
                "sbatch: error: Invalid partition name specified");
}

TEST_F(FakeSbatch, NoSbatchIsSaidSo) {
  setenv("PATH", dir_.c_str(), 1);
  llvm::sys::fs::remove(dir_ + "/sbatch");
  he::frontend::Experiment exp = parseExperimentText(kSweep);
  llvm::Expected<std::vector<std::string>> ids =
      submitSlurmJobs(slurmJobs(exp, submission(exp)), dir_ + "/run");
  ASSERT_FALSE(bool(ids));
  EXPECT_NE(
      llvm::toString(ids.takeError()).find("sbatch, which is not on PATH"),
      std::string::npos);
}
} // namespace
