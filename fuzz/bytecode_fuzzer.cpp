// libFuzzer target: a network file's bytes (MLIR bytecode, or text) as hec
// reads them. The bytes are parsed in process, as the loader does once the
// contained parse (lib/Frontend/BytecodeGuard.h) survived them; what parses
// is verified, checked as a network (NetworkLoader.h) and printed, and the
// text must parse back and print the same (the he dialect's printers round
// trip). MLIR's own bytecode reader is not hardened: an input that crashes
// it is what the contained parse exists for; scripts/fuzz.sh runs this
// target so that it keeps going past such crashes, and every input it kept
// must be reported as "corrupt bytecode" by he-opt (test/he-opt/
// corrupt_bytecode.test holds them).
#include "dialect/HeOps.h"
#include "dialect/ParamValues.h"
#include "lib/Frontend/NetworkLoader.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace {
mlir::OwningOpRef<mlir::ModuleOp> parse(llvm::StringRef bytes,
                                        mlir::MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(bytes, "fuzz"), llvm::SMLoc());
  return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr,
                                               mlir::ParserConfig(&context));
}

void quiet(mlir::MLIRContext &context) {
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  context.getDiagEngine().registerHandler(
      [](mlir::Diagnostic &) { return mlir::success(); });
}

// MLIR 19 prints a blob key as it is and reads one back only as a bare
// identifier. The keys hec writes are made so (he::resourceKeyFor: this
// target found param names used as keys); bytecode from elsewhere may carry
// any key, and its text is not expected to read back.
bool keysReadBack(mlir::ModuleOp module) {
  bool ok = true;
  module.walk([&](he::ParamOp param) {
    if (auto resource = llvm::dyn_cast_or_null<mlir::DenseResourceElementsAttr>(
            param.getValueAttr())) {
      llvm::StringRef key = resource.getRawHandle().getKey();
      ok = ok && he::resourceKeyFor(key) == key;
    }
  });
  return ok;
}

std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  quiet(context);
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module = parse(bytes, context);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  he::frontend::NetworkUse use;
  (void)he::frontend::checkNetwork(*module, "fuzz", use,
                                   mlir::UnknownLoc::get(&context));
  if (!keysReadBack(*module))
    return 0;
  std::string printed = print(*module);
  // Read back in a context of its own, as another process would: blob names
  // are unique per context, so the same context would rename every weight
  // (`fc.weight` read again is `fc.weight_1`) and the texts would differ.
  mlir::MLIRContext other(mlir::MLIRContext::Threading::DISABLED);
  quiet(other);
  mlir::OwningOpRef<mlir::ModuleOp> again = parse(printed, other);
  if (!again || mlir::failed(mlir::verify(*again)) ||
      print(*again) != printed) {
    std::fprintf(stderr, "text round trip failed for:\n%s\n", printed.c_str());
    __builtin_trap();
  }
  return 0;
}
