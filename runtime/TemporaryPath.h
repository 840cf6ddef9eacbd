//===- TemporaryPath.h - Unique names for files written then renamed ------===//
//
// A file written atomically is first written beside its final name. Jobs of
// one sweep on several cluster nodes may write the same shared file at once
// (skipped_images.txt, an image cache), so the temporary name carries the
// host and the process: no two writers share it.
//
//===----------------------------------------------------------------------===//

#ifndef HE_RUNTIME_TEMPORARYPATH_H
#define HE_RUNTIME_TEMPORARYPATH_H

#include <string>

namespace he::runtime {

/// `path.tmp.HOST.PID`: unique among the processes of every host that can
/// see `path`.
std::string temporaryPathFor(const std::string &path);

/// True when `name` (a file name, no folder) is a temporary of `final`:
/// `final.tmp` or `final.tmp.*`, as left by a writer that died.
bool isTemporaryOf(const std::string &name, const std::string &final);

} // namespace he::runtime

#endif
