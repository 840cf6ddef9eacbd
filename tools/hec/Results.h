// The results of a sweep: per method, accuracy and macro-F1 over seeds, the
// polynomial model's depth and training speed; written as Markdown and JSON.
#ifndef HEC_TOOLS_RESULTS_H
#define HEC_TOOLS_RESULTS_H

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace hec {
struct RunRecord {
  std::string method;
  int64_t seed = 0;
  double accuracy = 0;          // test split, after training (percent)
  double macroF1 = 0;           // percent
  double evalAccuracy = 0;      // of the emitted model, re-read from disk
  std::optional<int64_t> depth; // none: not polynomial (or diverged)
  double imagesPerSecond = 0;
  bool diverged = false; // stopped by a non-finite loss or activation
  bool failed = false;   // stopped by an error (a pass, a file)
  std::string message;   // why it diverged or failed
  /// The data set's class names in label order (run.json; empty: unnamed).
  std::vector<std::string> classNames;
};

struct Summary {
  double mean = 0, std = 0; // sample standard deviation (n - 1)
};
Summary summarize(const std::vector<double> &values);

/// A run that finished with an accuracy (percent) at most 1.5 times chance
/// on `classes` classes: it trained without error but learned (almost)
/// nothing, as `square` does on deep networks.
bool collapsed(const RunRecord &r, int64_t classes);

/// The accuracy (percent) at or under which a run counts as collapsed:
/// 1.5 times chance on `classes` classes.
double collapseThreshold(int64_t classes);

/// results.md and results.json in `folder`, written atomically. `split`
/// names what the runs were evaluated on: "test" or "validation".
llvm::Error writeResults(const std::string &folder,
                         const std::string &experiment,
                         const std::vector<std::string> &methodOrder,
                         const std::vector<RunRecord> &runs, int64_t classes,
                         const std::string &split,
                         const std::vector<std::string> &classNames = {});

/// The Markdown table (also printed at the end of a sweep).
std::string resultsTable(const std::vector<std::string> &methodOrder,
                         const std::vector<RunRecord> &runs, int64_t classes);

/// `markdown` with its figures section ("## Figures" to the end, written by
/// writeFigures) replaced by `section`; removed when `section` is empty.
std::string replaceFiguresSection(llvm::StringRef markdown,
                                  llvm::StringRef section);

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// crash never leaves half a file.
llvm::Error writeFileAtomically(const std::string &path,
                                llvm::StringRef contents);
} // namespace hec

#endif
