// Reading MLIR bytecode without trusting it. MLIR 19's bytecode reader is
// not hardened: a flipped byte can crash it (SIGSEGV, stack overflow, a
// double free) or make it allocate without bound. hec therefore
//
//  - writes next to every model.mlirbc a sidecar model.mlirbc.sha256 in
//    sha256sum's format ("<64 hex digits>  model.mlirbc"), so the bytecode
//    itself stays standard MLIR bytecode that any MLIR tool reads; a file
//    whose sidecar matches is parsed in process;
//  - parses any other bytecode (no sidecar, or from elsewhere) first in a
//    forked child with an address-space and CPU-time limit; a child that
//    dies, runs out of its limits or refuses the bytes (its diagnostic is
//    sent back through a pipe) means "corrupt bytecode: FILE"; only bytes
//    that the child parsed reach the parser in this process;
//  - refuses bytecode whose sidecar does not match, or whose sidecar is not
//    a regular file (a FIFO would block: it is never opened), before
//    parsing it.
//
// docs/reliability.md ("Damaged bytecode") records the design.
#ifndef HE_FRONTEND_BYTECODEGUARD_H
#define HE_FRONTEND_BYTECODEGUARD_H

#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace he::frontend {

/// True when `bytes` start with MLIR bytecode's magic number ("ML\xefR").
bool isBytecode(llvm::StringRef bytes);

/// Where the checksum of `path` lives: `path` + ".sha256".
std::string checksumPath(llvm::StringRef path);

/// The sidecar's text for `bytes` written as `fileName` (sha256sum's format:
/// the hex digest, two spaces, the file's base name, a newline).
std::string checksumRecord(llvm::StringRef bytes, llvm::StringRef fileName);

enum class ChecksumState {
  Matches,  ///< the sidecar holds the digest of these bytes
  Absent,   ///< no sidecar
  Differs,  ///< a sidecar for other bytes (or not a sha256sum line)
  NotAFile, ///< the sidecar is a FIFO, a directory, ... or unreadable
};
/// Why `path`'s sidecar cannot be read as one ("FILE.sha256 is a FIFO, not
/// a regular file"), nullopt when it is absent or a regular file. Uses
/// stat only: a FIFO is never opened.
std::optional<std::string> checksumFileProblem(llvm::StringRef path);
/// Compares `bytes` (the contents of `path`) with `path`'s sidecar.
ChecksumState checkChecksum(llvm::StringRef path, llvm::StringRef bytes);

/// What parsing `bytes` in a contained child process gave.
struct ProbeResult {
  enum Kind {
    Parses,  ///< a module came out
    Refused, ///< the parser reported an error and returned cleanly
    Crashed, ///< the child died, exceeded its limits or hung
    Stopped, ///< a stop was requested (setProbeStopPoll): the child killed
  } kind;
  /// For Crashed: what happened ("killed by SIGSEGV", "exceeded the
  /// 1.2 GiB memory limit", ...); for Refused: the parser's first error.
  std::string reason;
};

/// Limits of the child parser: address space beyond what this process
/// already maps, and CPU seconds.
struct ProbeLimits {
  uint64_t extraBytes = 1ull << 30;
  /// Added to extraBytes per byte of input.
  uint64_t bytesPerInputByte = 16;
  unsigned cpuSeconds = 30;
};

/// Asked while a contained parse runs (hec sets it to its signal flag):
/// true kills the child and the parse ends as Stopped, so that a stop
/// signal is honoured within a fraction of a second there too. Null: never.
void setProbeStopPoll(std::function<bool()> poll);

/// Parses `bytes` (as a .mlir or .mlirbc file's contents) with the dialects
/// of `registry` in a forked child under `limits`. The caller's own parse
/// must use the same dialects (and `allowUnregistered`), or the child's
/// verdict says nothing about it.
ProbeResult probeParse(llvm::StringRef bytes,
                       const mlir::DialectRegistry &registry,
                       const ProbeLimits &limits = {},
                       bool allowUnregistered = false);

/// For bytecode `bytes` read from `path`: "corrupt bytecode: PATH (why)"
/// when its sidecar does not match or is not a regular file, or (without a
/// sidecar) when the contained parse crashed or refused the bytes (its
/// first error is the why); nullopt for text, for a matching sidecar, and
/// for bytes the contained parser parsed; "stopped while checking PATH"
/// when a stop was requested meanwhile. Unchecked bytecode that the child
/// did not parse is never to be parsed by the caller.
std::optional<std::string>
bytecodeProblem(llvm::StringRef path, llvm::StringRef bytes,
                const mlir::DialectRegistry &registry,
                bool allowUnregistered = false);

/// A tool's input, "-" for stdin: a regular file as it is; stdin or a FIFO
/// read to its end, at most 1 GiB; a directory, a device or a socket is an
/// error (/dev/zero was read until memory ran out). Null with `error` set
/// when it cannot be read.
std::unique_ptr<llvm::MemoryBuffer> readToolInput(llvm::StringRef path,
                                                  std::string &error);

/// For an mlir-translate-like command line (`args`, argv[0] first): the
/// input (the first argument that is not an option or the value of -o;
/// stdin when none or "-") and its bytecodeProblem. Stdin or a FIFO is read
/// here, checked, and handed back to the tool on stdin (the argument
/// becomes "-"). nullopt when the input is fine, or missing or unreadable
/// (the tool then reports that itself). `--allow-unregistered-dialect`
/// among `args` lets the child parse unregistered dialects too.
std::optional<std::string>
guardInputFile(std::vector<std::string> &args,
               const mlir::DialectRegistry &registry);

} // namespace he::frontend

#endif // HE_FRONTEND_BYTECODEGUARD_H
