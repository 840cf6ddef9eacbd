#include "tools/hec/Collect.h"

#include "tools/hec/RunState.h"
#include "tools/hec/SweepOrder.h"

using namespace hec;

bool Collected::complete() const {
  if (!missing.empty())
    return false;
  for (const RunRecord &r : records)
    if (r.failed)
      return false;
  return true;
}

Collected hec::collectRuns(const he::frontend::Experiment &exp,
                           const std::string &outDir,
                           const std::string &fingerprint) {
  Collected out;
  for (const PlannedRun &run : sweepOrder(exp)) {
    llvm::Expected<std::optional<RunRecord>> record =
        readRunRecord(runFiles(outDir, run.method, run.seed), fingerprint);
    if (!record) {
      out.missing.push_back(run.name() + " (" +
                            llvm::toString(record.takeError()) + ")");
      continue;
    }
    if (!*record) {
      out.missing.push_back(run.name());
      continue;
    }
    const RunRecord &r = **record;
    if (r.failed)
      out.problems.push_back(run.name() + " failed: " + r.message);
    else if (r.diverged)
      out.problems.push_back(run.name() + " diverged: " + r.message);
    out.records.push_back(std::move(**record));
  }
  return out;
}

std::vector<std::string>
hec::classNamesOf(const std::vector<RunRecord> &records) {
  for (const RunRecord &r : records)
    if (!r.classNames.empty())
      return r.classNames;
  return {};
}
