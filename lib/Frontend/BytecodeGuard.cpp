// The checksum sidecar, the tool input reader and the verdict on bytecode
// (BytecodeGuard.h); the contained parse itself is ProbeParse.cpp.
#include "lib/Frontend/BytecodeGuard.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using llvm::StringRef;

namespace {
// The most read from stdin or a pipe (a network of 1 GiB is four times
// AlexNet's weights at 224x224).
constexpr size_t kMaxStreamedInput = size_t(1) << 30;

std::string sha256Hex(StringRef bytes) {
  std::array<uint8_t, 32> digest = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
  return llvm::toHex(digest, /*LowerCase=*/true);
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
