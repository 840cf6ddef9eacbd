// metrics.jsonl: one JSON line per epoch of a run, rewritten whole (and
// atomically) after every epoch so that it never holds half a line and
// matches the checkpoint when the run resumes.
#ifndef HEC_TOOLS_METRICSLOG_H
#define HEC_TOOLS_METRICSLOG_H

#include "runtime/Trainer.h"

#include "llvm/Support/JSON.h"

#include <string>

namespace hec {
/// One epoch as a JSON object. `split` names the evaluation split's keys
/// (test_accuracy or validation_accuracy, so a file never calls validation
/// numbers test ones); with `allSkipped` (every batch of the epoch was
/// skipped for a non-finite loss) the loss is null, not the trainer's 0.
llvm::json::Value epochJson(const he::runtime::EpochMetrics &m,
                            const std::string &split, bool allSkipped);

class MetricsLog {
public:
  MetricsLog(std::string path, std::string split)
      : path_(std::move(path)), split_(std::move(split)) {}
  /// Adds the epoch and rewrites the file; throws RunFailure when it
  /// cannot be written.
  void add(const he::runtime::EpochMetrics &m, bool allSkipped);

private:
  std::string path_, split_, text_;
};
} // namespace hec

#endif
