#include "tools/hec/Signals.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace {
std::atomic<int> received{0};
static_assert(std::atomic<int>::is_always_lock_free,
              "the handler needs a lock-free flag");

void say(const char *text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

extern "C" void onStopSignal(int sig) {
  int expected = 0;
  if (!received.compare_exchange_strong(expected, sig)) {
    say("\nhec: interrupted again: exiting now; the last checkpoint is "
        "intact\n");
    ::_exit(128 + sig);
  }
  say("\nhec: stopping: a run in progress writes the checkpoint of its last "
      "batch boundary (interrupt again to exit at once)\n");
}
} // namespace

void hec::installStopHandlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

bool hec::stopRequested() { return received.load() != 0; }

int hec::stopSignal() { return received.load(); }
