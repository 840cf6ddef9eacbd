// The bytecode guard: the checksum sidecar, and the contained parse that
// reports a reader that dies or runs out of its limits instead of dying
// with it (lib/Frontend/BytecodeGuard.h).
#include "lib/Frontend/BytecodeGuard.h"
#include "dialect/HeOps.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace he::frontend;

namespace {
const char *kNet = "func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> "
                   "{\n  %y = he.relu %x : tensor<?x4xf32>\n  return %y : "
                   "tensor<?x4xf32>\n}\n";

struct BytecodeGuardTest : ::testing::Test {
  BytecodeGuardTest() {
    registry.insert<he::HeDialect, mlir::func::FuncDialect>();
  }
  std::string bytecode() {
    mlir::MLIRContext context(registry);
    auto module = mlir::parseSourceString<mlir::ModuleOp>(kNet, &context);
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    EXPECT_TRUE(module &&
                mlir::succeeded(mlir::writeBytecodeToFile(*module, os)));
    return os.str();
  }
  std::string tempFile(llvm::StringRef contents) {
    llvm::SmallString<128> path;
    int fd;
    EXPECT_FALSE(
        llvm::sys::fs::createTemporaryFile("guard", "mlirbc", fd, path));
    llvm::raw_fd_ostream(fd, /*shouldClose=*/true) << contents;
    files.push_back(path.str().str());
    return files.back();
  }
  ~BytecodeGuardTest() override {
    for (const std::string &f : files) {
      llvm::sys::fs::remove(f);
      llvm::sys::fs::remove(checksumPath(f));
    }
  }
  mlir::DialectRegistry registry;
  std::vector<std::string> files;
};

TEST_F(BytecodeGuardTest, TheSidecarIsSha256sumsLine) {
  // SHA-256 of "abc", FIPS 180-2's example.
  EXPECT_EQ(checksumRecord("abc", "/some/dir/model.mlirbc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            "  model.mlirbc\n");
}

TEST_F(BytecodeGuardTest, ChecksumAbsentMatchingOrDiffering) {
  std::string bytes = bytecode();
  ASSERT_TRUE(isBytecode(bytes));
  EXPECT_FALSE(isBytecode(kNet));
  std::string path = tempFile(bytes);
  EXPECT_EQ(checkChecksum(path, bytes), ChecksumState::Absent);
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(checksumPath(path), ec);
    out << checksumRecord(bytes, path);
  }
  EXPECT_EQ(checkChecksum(path, bytes), ChecksumState::Matches);
  EXPECT_EQ(bytecodeProblem(path, bytes, registry), std::nullopt);
  std::string flipped = bytes;
  flipped.back() ^= 1;
  EXPECT_EQ(checkChecksum(path, flipped), ChecksumState::Differs);
  std::optional<std::string> problem = bytecodeProblem(path, flipped, registry);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->rfind("corrupt bytecode: " + path + " (its SHA-256", 0),
            0u)
      << *problem;
}

TEST_F(BytecodeGuardTest, TheContainedParseParsesOrRefuses) {
  EXPECT_EQ(probeParse(bytecode(), registry).kind, ProbeResult::Parses);
  EXPECT_EQ(probeParse(kNet, registry).kind, ProbeResult::Parses);
  EXPECT_EQ(probeParse("func.func @f(", registry).kind, ProbeResult::Refused);
  std::string truncated = bytecode();
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(probeParse(truncated, registry).kind, ProbeResult::Refused);
}

// A refusal in the child is final: reported with the reader's first error,
// never handed to the caller's parser (hec once re-parsed a file its child
// refused, with other dialects, and died of it).
TEST_F(BytecodeGuardTest, ARefusalIsCorruptWithTheReadersError) {
  std::string truncated = bytecode();
  truncated.resize(truncated.size() / 2);
  ProbeResult probe = probeParse(truncated, registry);
  EXPECT_EQ(probe.kind, ProbeResult::Refused);
  EXPECT_FALSE(probe.reason.empty());
  std::optional<std::string> problem =
      bytecodeProblem("dir/t.mlirbc", truncated, registry);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->rfind("corrupt bytecode: dir/t.mlirbc (MLIR's reader "
                           "refused it: ",
                           0),
            0u)
      << *problem;
  // Without the he dialect the child refuses an intact network: the
  // caller must give it the dialects of its own parse.
  mlir::DialectRegistry bare;
  EXPECT_EQ(probeParse(bytecode(), bare).kind, ProbeResult::Refused);
  EXPECT_EQ(probeParse(bytecode(), bare, {}, /*allowUnregistered=*/true).kind,
            ProbeResult::Parses);
}

// A sidecar that is a FIFO is never opened (it blocked every tool): the
// model is refused at once.
TEST_F(BytecodeGuardTest, ASidecarThatIsNotAFileIsRefusedUnopened) {
  std::string bytes = bytecode();
  std::string path = tempFile(bytes);
  ASSERT_EQ(mkfifo(checksumPath(path).c_str(), 0600), 0);
  EXPECT_EQ(checkChecksum(path, bytes), ChecksumState::NotAFile);
  std::optional<std::string> problem = bytecodeProblem(path, bytes, registry);
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem, "corrupt bytecode: " + path + " (its checksum sidecar " +
                          checksumPath(path) +
                          " is a FIFO, not a regular file)");
}

TEST_F(BytecodeGuardTest, AReaderThatDiesIsReportedNotFatal) {
  // Parsed in process, these end in "double free or corruption" and "LLVM
  // ERROR: SmallVector unable to grow" (test/he-opt/corrupt_bytecode.test).
  for (const char *name : {"flip_44_ff.mlirbc", "flip_698_ff.mlirbc"}) {
    std::string path =
        std::string(HEC_SOURCE_DIR) + "/test/he-opt/Inputs/corrupt/" + name;
    auto buffer = llvm::MemoryBuffer::getFile(path);
    ASSERT_TRUE(bool(buffer)) << path;
    ProbeResult result = probeParse((*buffer)->getBuffer(), registry);
    EXPECT_EQ(result.kind, ProbeResult::Crashed) << name;
    EXPECT_NE(result.reason.find("killed by SIG"), std::string::npos)
        << result.reason;
  }
}

} // namespace

// A stop requested while the child parses (hec's SIGINT/SIGTERM) kills it at
// once: the parse ends as Stopped and the file is not called corrupt.
TEST_F(BytecodeGuardTest, AStopEndsTheContainedParse) {
  int asked = 0;
  setProbeStopPoll([&] { return ++asked >= 1; });
  ProbeResult result = probeParse(bytecode(), registry);
  EXPECT_EQ(result.kind, ProbeResult::Stopped);
  EXPECT_GE(asked, 1);
  EXPECT_EQ(bytecodeProblem("dir/model.mlirbc", bytecode(), registry),
            std::optional<std::string>("stopped while checking "
                                       "dir/model.mlirbc"));
  setProbeStopPoll(nullptr);
  EXPECT_EQ(probeParse(bytecode(), registry).kind, ProbeResult::Parses);
}
