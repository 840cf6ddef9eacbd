#include "lib/Frontend/BytecodeGuard.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
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
// The most read from stdin or a pipe (a network of 1 GiB is four times
// AlexNet's weights at 224x224).
constexpr size_t kMaxStreamedInput = size_t(1) << 30;
// The longest diagnostic the child sends back (a pipe holds 64 KiB).
constexpr size_t kMaxDiagnostic = 1000;

std::string sha256Hex(StringRef bytes) {
  std::array<uint8_t, 32> digest = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
  return llvm::toHex(digest, /*LowerCase=*/true);
}

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
} // namespace

bool he::frontend::isBytecode(StringRef bytes) {
  return bytes.starts_with("ML\xef\x52");
}

std::string he::frontend::checksumPath(StringRef path) {
  return (path + ".sha256").str();
}

std::string he::frontend::checksumRecord(StringRef bytes, StringRef fileName) {
  return sha256Hex(bytes) + "  " + llvm::sys::path::filename(fileName).str() +
         "\n";
}

std::optional<std::string> he::frontend::checksumFileProblem(StringRef path) {
  std::string sidecar = checksumPath(path);
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(sidecar, status))
    return ec == std::errc::no_such_file_or_directory
               ? std::nullopt
               : std::optional<std::string>(fmt::format("{} cannot be read: {}",
                                                        sidecar, ec.message()));
  switch (status.type()) {
  case llvm::sys::fs::file_type::regular_file:
    return std::nullopt;
  case llvm::sys::fs::file_type::directory_file:
    return fmt::format("{} is a directory, not a regular file", sidecar);
  case llvm::sys::fs::file_type::fifo_file:
    return fmt::format("{} is a FIFO, not a regular file", sidecar);
  default:
    return fmt::format("{} is not a regular file", sidecar);
  }
}

he::frontend::ChecksumState he::frontend::checkChecksum(StringRef path,
                                                        StringRef bytes) {
  // Never opened unless a regular file: opening a FIFO blocks.
  if (checksumFileProblem(path))
    return ChecksumState::NotAFile;
  if (!llvm::sys::fs::exists(checksumPath(path)))
    return ChecksumState::Absent;
  auto sidecar = llvm::MemoryBuffer::getFile(checksumPath(path),
                                             /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
  if (!sidecar)
    return ChecksumState::NotAFile;
  // sha256sum's line: the digest first; the name may differ (a renamed
  // copy keeps its checksum).
  StringRef digest = (*sidecar)->getBuffer().take_front(64);
  return digest == sha256Hex(bytes) ? ChecksumState::Matches
                                    : ChecksumState::Differs;
}

namespace {
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

std::optional<std::string>
he::frontend::bytecodeProblem(StringRef path, StringRef bytes,
                              const mlir::DialectRegistry &registry,
                              bool allowUnregistered) {
  if (!isBytecode(bytes))
    return std::nullopt;
  // A sidecar vouches for a regular file only; stdin or a pipe ("<stdin>",
  // a FIFO) always gets the contained parse.
  ChecksumState checksum = llvm::sys::fs::is_regular_file(path)
                               ? checkChecksum(path, bytes)
                               : ChecksumState::Absent;
  switch (checksum) {
  case ChecksumState::Matches:
    return std::nullopt;
  case ChecksumState::NotAFile: {
    std::optional<std::string> why = checksumFileProblem(path);
    return "corrupt bytecode: " + path.str() + " (its checksum sidecar " +
           (why ? *why : checksumPath(path) + " cannot be read") + ")";
  }
  case ChecksumState::Differs:
    return "corrupt bytecode: " + path.str() +
           " (its SHA-256 differs from the one recorded in " +
           checksumPath(path) + ")";
  case ChecksumState::Absent:
    break;
  }
  ProbeResult probe = probeParse(bytes, registry, {}, allowUnregistered);
  switch (probe.kind) {
  case ProbeResult::Parses:
    return std::nullopt;
  case ProbeResult::Stopped:
    return "stopped while checking " + path.str();
  case ProbeResult::Crashed:
    return "corrupt bytecode: " + path.str() + " (" + probe.reason + ")";
  case ProbeResult::Refused:
    // Never handed to the caller's parser: MLIR's reader can refuse bytes
    // in one context and crash on them in another.
    return "corrupt bytecode: " + path.str() + " (MLIR's reader refused it" +
           (probe.reason.empty() ? "" : ": " + probe.reason) + ")";
  }
  return std::nullopt;
}

std::unique_ptr<llvm::MemoryBuffer>
he::frontend::readToolInput(StringRef path, std::string &error) {
  bool fromStdin = path == "-";
  if (!fromStdin) {
    llvm::sys::fs::file_status status;
    if (std::error_code ec = llvm::sys::fs::status(path, status)) {
      // mlir::openInputFile's words.
      error = fmt::format("cannot open input file '{}': {}", path.str(),
                          ec.message());
      return nullptr;
    }
    switch (status.type()) {
    case llvm::sys::fs::file_type::regular_file: {
      auto buffer = llvm::MemoryBuffer::getFile(
          path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
      if (!buffer) {
        error = fmt::format("cannot read {}: {}", path.str(),
                            buffer.getError().message());
        return nullptr;
      }
      return std::move(*buffer);
    }
    case llvm::sys::fs::file_type::fifo_file:
      break;
    case llvm::sys::fs::file_type::directory_file:
      error = path.str() + " is a directory, not a network file";
      return nullptr;
    default:
      error = path.str() + " is a device or socket, not a network file";
      return nullptr;
    }
  }
  // Stdin or a FIFO: read to its end, at most kMaxStreamedInput bytes
  // (`< /dev/zero` was read until memory ran out).
  std::string name = fromStdin ? "<stdin>" : path.str();
  int fd =
      fromStdin ? STDIN_FILENO : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open {}: {}", name, std::strerror(errno));
    return nullptr;
  }
  std::string bytes;
  char chunk[1 << 16];
  for (ssize_t n; (n = ::read(fd, chunk, sizeof chunk)) != 0;) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || bytes.size() + size_t(n) > kMaxStreamedInput) {
      error =
          n < 0 ? fmt::format("cannot read {}: {}", name, std::strerror(errno))
                : fmt::format("{} is larger than {} GiB, the most read "
                              "from a pipe or stdin",
                              name, kMaxStreamedInput >> 30);
      if (!fromStdin)
        ::close(fd);
      return nullptr;
    }
    bytes.append(chunk, size_t(n));
  }
  if (!fromStdin)
    ::close(fd);
  return llvm::MemoryBuffer::getMemBufferCopy(bytes, name);
}

std::optional<std::string>
he::frontend::guardInputFile(std::vector<std::string> &args,
                             const mlir::DialectRegistry &registry) {
  std::optional<size_t> index; // of the input among args; none: stdin
  bool allowUnregistered = false;
  for (const std::string &arg : args)
    if (arg == "--allow-unregistered-dialect" ||
        arg == "-allow-unregistered-dialect")
      allowUnregistered = true;
  for (size_t i = 1; i < args.size() && !index; ++i) {
    StringRef arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size())
        index = i + 1;
      break;
    }
    if (arg == "-o" || arg == "--o")
      ++i; // its value
    else if (arg == "-" || !arg.starts_with("-"))
      index = i;
  }
  bool fromStdin = !index || args[*index] == "-";
  if (!fromStdin && llvm::sys::fs::is_regular_file(args[*index])) {
    auto buffer = llvm::MemoryBuffer::getFile(args[*index], /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return std::nullopt;
    return bytecodeProblem(args[*index], (*buffer)->getBuffer(), registry,
                           allowUnregistered);
  }
  // Stdin or a pipe: read once here, checked, and handed to the tool on
  // stdin (as "-"). A missing file or a directory is left to the tool.
  if (!fromStdin && (!llvm::sys::fs::exists(args[*index]) ||
                     llvm::sys::fs::is_directory(args[*index])))
    return std::nullopt;
  std::string name = fromStdin ? "<stdin>" : args[*index];
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      readToolInput(fromStdin ? "-" : name, error);
  if (!input)
    return error;
  StringRef bytes = input->getBuffer();
  if (std::optional<std::string> problem =
          bytecodeProblem(name, bytes, registry, allowUnregistered))
    return problem;
  FILE *copy = std::tmpfile(); // lives until the process ends
  if (!copy ||
      std::fwrite(bytes.data(), 1, bytes.size(), copy) != bytes.size() ||
      std::fflush(copy) != 0 || lseek(fileno(copy), 0, SEEK_SET) != 0 ||
      dup2(fileno(copy), STDIN_FILENO) < 0)
    return "cannot keep the input of " + name + ": " + std::strerror(errno);
  if (index)
    args[*index] = "-";
  return std::nullopt;
}
