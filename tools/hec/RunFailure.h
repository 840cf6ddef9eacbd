// The error that stops one run of a sweep: the run is recorded as failed
// (run.json says why) and the sweep goes on with the next one.
#ifndef HEC_TOOLS_RUNFAILURE_H
#define HEC_TOOLS_RUNFAILURE_H

#include <stdexcept>

namespace hec {
struct RunFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
} // namespace hec

#endif
