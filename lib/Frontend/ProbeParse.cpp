// The contained parse of BytecodeGuard.h (probeParse): a forked child
// parses the bytes under an address-space and CPU limit and tells the
// parent, through its exit status and a pipe, whether they parsed.
#include "lib/Frontend/BytecodeGuard.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using llvm::StringRef;

namespace {
// Exit statuses of the child parser; anything else is a crash.
constexpr int kParsed = 0;
constexpr int kRefused = 3;
// The longest diagnostic the child sends back (a pipe holds 64 KiB).
constexpr size_t kMaxDiagnostic = 1000;

// The address space this process maps now (VmSize), 0 when unknown.
uint64_t mappedBytes() {
  FILE *f = std::fopen("/proc/self/statm", "r");
  if (!f)
    return 0;
  unsigned long long pages = 0;
  int n = std::fscanf(f, "%llu", &pages);
  std::fclose(f);
  return n == 1 ? pages * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

std::string gib(uint64_t bytes) {
  return fmt::format("{:.1f} GiB", double(bytes) / double(1ull << 30));
}

// In the child: parse and exit; never returns. The parser's first error
// goes to `diagFd` (a pipe to the parent).
[[noreturn]] void parseInChild(StringRef bytes,
                               const mlir::DialectRegistry &registry,
                               uint64_t addressLimit, unsigned cpuSeconds,
                               bool allowUnregistered, int diagFd) {
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
  if (addressLimit) {
    rlimit as{addressLimit, addressLimit};
    setrlimit(RLIMIT_AS, &as);
  }
  rlimit cpu{cpuSeconds, cpuSeconds + 1};
  setrlimit(RLIMIT_CPU, &cpu);
  // What MLIR or LLVM print on the way down is not for the user: the
  // parent reports "corrupt bytecode".
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
  }
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(allowUnregistered);
  std::string firstError;
  context.getDiagEngine().registerHandler([&](mlir::Diagnostic &d) {
    if (firstError.empty() &&
        d.getSeverity() == mlir::DiagnosticSeverity::Error)
      firstError = d.str();
    return mlir::success();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(bytes, "probe",
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr,
                                            mlir::ParserConfig(&context));
  if (module)
    _exit(kParsed);
  // One line, short enough for the pipe's buffer (never blocks).
  StringRef text = StringRef(firstError).take_front(kMaxDiagnostic);
  text = text.take_until([](char c) { return c == '\n'; });
  if (diagFd >= 0 && !text.empty())
    (void)!write(diagFd, text.data(), text.size());
  _exit(kRefused);
}

// What the child sent through `fd` (non-blocking), at most kMaxDiagnostic.
std::string readDiagnostic(int fd) {
  std::string text;
  char chunk[512];
  ssize_t n;
  while (text.size() < kMaxDiagnostic &&
         (n = read(fd, chunk, sizeof chunk)) > 0)
    text.append(chunk, size_t(n));
  return text.substr(0, kMaxDiagnostic);
}

// setProbeStopPoll's poll.
std::function<bool()> &stopPoll() {
  static std::function<bool()> poll;
  return poll;
}
} // namespace

void he::frontend::setProbeStopPoll(std::function<bool()> poll) {
  stopPoll() = std::move(poll);
}

he::frontend::ProbeResult
he::frontend::probeParse(StringRef bytes, const mlir::DialectRegistry &registry,
                         const ProbeLimits &limits, bool allowUnregistered) {
  uint64_t mapped = mappedBytes();
  uint64_t budget =
      limits.extraBytes + limits.bytesPerInputByte * uint64_t(bytes.size());
  uint64_t addressLimit = mapped ? mapped + budget : 0;
  int diagPipe[2] = {-1, -1};
  if (pipe2(diagPipe, O_CLOEXEC | O_NONBLOCK) != 0)
    diagPipe[0] = diagPipe[1] = -1; // no diagnostic, still contained
  auto closePipe = [&] {
    for (int fd : diagPipe)
      if (fd >= 0)
        close(fd);
  };
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t child = fork();
  if (child < 0) {
    closePipe();
    return {ProbeResult::Crashed,
            std::string("cannot start the checking process: ") +
                std::strerror(errno)};
  }
  if (child == 0)
    parseInChild(bytes, registry, addressLimit, limits.cpuSeconds,
                 allowUnregistered, diagPipe[1]);
  if (diagPipe[1] >= 0) {
    close(diagPipe[1]);
    diagPipe[1] = -1;
  }
  struct PipeCloser {
    std::function<void()> f;
    ~PipeCloser() { f(); }
  } closer{closePipe};

  // A child stuck without using CPU (a lock held at fork time) is killed
  // after twice its CPU limit.
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(2 * limits.cpuSeconds + 1);
  int status = 0;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    // Asked first, so that a stop is never missed however fast the child.
    if (stopPoll() && stopPoll()()) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return {ProbeResult::Stopped, "a stop was requested"};
    }
    pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child)
      break;
    if (done < 0 && errno != EINTR)
      return {ProbeResult::Crashed, std::string("lost the checking process: ") +
                                        std::strerror(errno)};
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return {ProbeResult::Crashed, fmt::format("the reader did not finish "
                                                "within {} s",
                                                2 * limits.cpuSeconds + 1)};
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, decltype(pause)(std::chrono::milliseconds(50)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kParsed)
    return {ProbeResult::Parses, ""};
  if (WIFEXITED(status) && WEXITSTATUS(status) == kRefused)
    return {ProbeResult::Refused,
            diagPipe[0] >= 0 ? readDiagnostic(diagPipe[0]) : ""};
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU)
      return {ProbeResult::Crashed,
              fmt::format("the reader exceeded its {} s CPU limit",
                          limits.cpuSeconds)};
    const char *name = sigabbrev_np(sig);
    std::string reason =
        fmt::format("the reader was killed by {}{}", name ? "SIG" : "signal ",
                    name ? name : std::to_string(sig));
    if (sig == SIGABRT)
      reason += " (an abort, such as running out of its " + gib(budget) +
                " memory limit)";
    return {ProbeResult::Crashed, reason};
  }
  return {ProbeResult::Crashed,
          fmt::format("the reader stopped with exit status {}",
                      WEXITSTATUS(status))};
}
