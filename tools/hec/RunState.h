// What a run folder says about its run, for `hec --resume`: run.json (the
// record of a finished run, diverged ones included), checkpoint.hec (the
// last good checkpoint of an unfinished one), and the fingerprint that ties
// both to the settings that produced them. Also the check, before training,
// that the output folder can take the files a run writes.
#ifndef HEC_TOOLS_RUNSTATE_H
#define HEC_TOOLS_RUNSTATE_H

#include "lib/Frontend/Experiment.h"
#include "tools/hec/Results.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace hec {
struct RunFiles {
  std::string dir; ///< <out>/<method>/seed-<s>
  std::string record() const { return dir + "/run.json"; }
  std::string checkpoint() const { return dir + "/checkpoint.hec"; }
  std::string metrics() const { return dir + "/metrics.jsonl"; }
  std::string model() const { return dir + "/model.mlirbc"; }
};

/// Identifies what a run computes: a hash of the normalised experiment (every
/// key, defaults filled in) and of the options that change its numbers.
std::string runFingerprint(const he::frontend::Experiment &experiment,
                           int64_t maxBatchesPerEpoch);

/// Writes run.json atomically.
llvm::Error writeRunRecord(const RunFiles &files, const RunRecord &record,
                           const std::string &fingerprint);

/// The finished run recorded in run.json: nullopt when there is none; an
/// error naming the file when it cannot be read or was written for other
/// settings (another fingerprint).
llvm::Expected<std::optional<RunRecord>>
readRunRecord(const RunFiles &files, const std::string &fingerprint);

/// Removes what an earlier sweep left in the folder (record, checkpoint,
/// metrics, models, depth report, temporary files) so that a fresh run
/// never mixes with it.
void clearRunFolder(const RunFiles &files);
/// Removes only the temporary files a killed writer left beside the run's
/// files (a run folder has one writer at a time: its run).
void clearTemporaries(const RunFiles &files);

/// CRC-32 of a file's bytes (the teacher reference of a checkpoint); an
/// error naming the file when it cannot be read.
llvm::Expected<uint32_t> fileChecksum(const std::string &path);

/// Before the run folder is created: `dir` holds neither `modelFile` (a
/// run would overwrite it) nor lies inside `dataPath` (an image folder's
/// classes would gain the runs' folders); empty strings are not checked. Paths
/// are compared made absolute, with symlinks resolved. Throws
/// he::runtime::Error naming both.
void checkOutputApart(const std::string &dir, const std::string &modelFile,
                      const std::string &dataPath);

/// Before training: `dir` exists (or is created) and takes a file of
/// `probeBytes` (the size of one checkpoint), written and removed again.
/// Throws he::runtime::Error naming the folder and the reason. Returns a
/// warning when the free space looks too small for `sweepBytes` (nullopt:
/// none); the caller tells its Reporter.
std::optional<std::string> checkOutputFolder(const std::string &dir,
                                             uint64_t probeBytes,
                                             uint64_t sweepBytes);
} // namespace hec

#endif
