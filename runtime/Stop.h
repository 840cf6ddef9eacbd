// Stopping long work on request (hec: SIGINT or SIGTERM). The driver sets
// one poll for the process; every stretch of the runtime that can run long
// without reaching a training batch boundary calls checkStop() between its
// batches (evaluation, calibration, batch-norm re-estimation, the ReLU fit)
// or at least every 250 ms (decoding images into the cache), which throws
// Interrupted once the poll says so. What such a stretch was building is
// dropped (a cache being written leaves no file). The trainer turns an
// Interrupted from its evaluation, re-estimation or fit into a checkpoint
// and RunResult::interrupted, as a stop at a batch boundary
// (TrainOptions::stopRequested, which hec sets to the same poll).
#ifndef HE_RUNTIME_STOP_H
#define HE_RUNTIME_STOP_H

#include "runtime/Error.h"

#include <functional>
#include <string>

namespace he::runtime {
/// Thrown by checkStop(): the work named in the message was stopped before
/// it finished.
class Interrupted : public Error {
public:
  explicit Interrupted(const std::string &what);
};

/// Sets the process's stop poll (an empty one: never stop). Set it before
/// the work starts; it is called from the thread doing the work and must be
/// safe to call from any thread (hec's reads an atomic flag).
void setStopPoll(std::function<bool()> poll);

/// What the poll says now (false without a poll).
bool stopRequested();

/// Throws Interrupted("stopped while " + what) when stopRequested().
void checkStop(const char *what);
} // namespace he::runtime

#endif
