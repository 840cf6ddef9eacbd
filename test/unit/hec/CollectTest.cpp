// hec --collect: the records of a sweep's runs in the sweep's order, the
// runs without one, and those that failed or diverged.
#include "tools/hec/Collect.h"
#include "test/unit/hec/ExperimentText.h"

#include "tools/hec/RunState.h"
#include "tools/hec/SweepOrder.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

using namespace hec;
using he::frontend::Method;

namespace {
using hec::test::parseExperimentText;

void record(const std::string &out, Method method, int64_t seed,
            const std::string &fingerprint, bool failed = false,
            bool diverged = false) {
  RunFiles files = runFiles(out, method, seed);
  ASSERT_FALSE(llvm::sys::fs::create_directories(files.dir));
  RunRecord r;
  r.method = he::frontend::toString(method).str();
  r.seed = seed;
  r.accuracy = 50 + seed;
  r.failed = failed;
  r.diverged = diverged;
  r.message = failed ? "a pass failed" : diverged ? "loss is nan" : "";
  r.classNames = {"a", "b"};
  ASSERT_FALSE(bool(writeRunRecord(files, r, fingerprint)));
}

TEST(CollectTest, FinishedMissingFailedAndDiverged) {
  he::frontend::Experiment exp = parseExperimentText(R"(
methods = ["tp", "baseline"]
[data]
kind = "synthetic"
[training]
seeds = [1, 2]
)");
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hec-collect", dir));
  std::string out = dir.str().str();
  record(out, Method::Tp, 2, "f", /*failed=*/true);
  record(out, Method::Baseline, 1, "f");
  record(out, Method::Tp, 1, "f", false, /*diverged=*/true);
  record(out, Method::Baseline, 2, "other settings");

  Collected c = collectRuns(exp, out, "f");
  ASSERT_EQ(c.records.size(), 3u); // the sweep's order: baseline first
  EXPECT_EQ(c.records[0].method, "baseline");
  EXPECT_EQ(c.records[1].method, "tp");
  EXPECT_EQ(c.records[1].seed, 1);
  EXPECT_EQ(c.records[2].seed, 2);
  EXPECT_EQ(classNamesOf(c.records), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(c.missing.size(), 1u);
  EXPECT_EQ(c.missing[0].rfind("baseline:2 (" + out, 0), 0u) << c.missing[0];
  EXPECT_NE(c.missing[0].find("written for other settings"), std::string::npos);
  EXPECT_EQ(c.problems,
            (std::vector<std::string>{"tp:1 diverged: loss is nan",
                                      "tp:2 failed: a pass failed"}));
  EXPECT_FALSE(c.complete());
  llvm::sys::fs::remove_directories(out);
}
} // namespace
