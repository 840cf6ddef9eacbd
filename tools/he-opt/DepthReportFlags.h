// The depth report's command-line spellings in he-opt.
#ifndef HE_TOOLS_HEOPT_DEPTHREPORTFLAGS_H
#define HE_TOOLS_HEOPT_DEPTHREPORTFLAGS_H

#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace he {
/// Rewrites `args` (argv, program name first) for MlirOptMain: every
/// `--depth-report-<option>=V` (or `--depth-report-<option> V`) merges with
/// `--depth-report` into one pass flag `--depth-report=<option>=V ...` at the
/// place of the first of them, so that the report keeps its place in the
/// pipeline. With a report and no `-o`, the module goes to /dev/null so that
/// only the report is printed. Arguments after `--` are left alone.
std::vector<std::string>
rewriteDepthReportFlags(llvm::ArrayRef<std::string> args);
} // namespace he

#endif
