//===- SlurmKeys.h - What each Slurm resource may be ------------*- C++ -*-===//
//
// One definition of the values `[slurm]` and hec's --slurm options accept,
// read by the experiment parser and by the driver for its options alike: a
// value either file or command line gives goes into the job scripts only
// when sbatch would take it.
//
//===----------------------------------------------------------------------===//

#ifndef HE_FRONTEND_SLURMKEYS_H
#define HE_FRONTEND_SLURMKEYS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace he::frontend {

/// Each returns what the value should have been ("a size such as ...") when
/// it is not acceptable, else std::nullopt. An empty string (the cluster's
/// default) is acceptable.
std::optional<std::string> expectedSlurmPartition(llvm::StringRef value);
std::optional<std::string> expectedSlurmMemory(llvm::StringRef value);
std::optional<std::string> expectedSlurmTime(llvm::StringRef value);

/// Why `arg` cannot be one more sbatch argument (not an option, a newline,
/// or one that hec --slurm writes itself), else std::nullopt.
std::optional<std::string> sbatchArgumentProblem(llvm::StringRef arg);

} // namespace he::frontend

#endif
