#include "runtime/Stop.h"

namespace he::runtime {
namespace {
std::function<bool()> &poll() {
  static std::function<bool()> instance;
  return instance;
}
} // namespace

Interrupted::Interrupted(const std::string &what) : Error(what) {}

void setStopPoll(std::function<bool()> p) { poll() = std::move(p); }

bool stopRequested() { return poll() && poll()(); }

void checkStop(const char *what) {
  if (stopRequested())
    throw Interrupted(std::string("stopped while ") + what);
}
} // namespace he::runtime
