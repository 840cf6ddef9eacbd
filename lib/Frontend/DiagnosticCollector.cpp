#include "lib/Frontend/DiagnosticCollector.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::string he::frontend::locationText(Location loc) {
  if (isa<UnknownLoc>(loc))
    return "";
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    return (file.getFilename().strref() + ":" + llvm::Twine(file.getLine()) +
            ":" + llvm::Twine(file.getColumn()))
        .str();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  std::string text;
  llvm::raw_string_ostream(text) << loc;
  return text;
}

namespace {
std::string located(const Diagnostic &d) {
  std::string where = he::frontend::locationText(d.getLocation());
  return where.empty() ? d.str() : where + ": " + d.str();
}
} // namespace

he::frontend::DiagnosticCollector::DiagnosticCollector(MLIRContext *context)
    : ScopedDiagnosticHandler(context) {
  setHandler([this](Diagnostic &d) -> LogicalResult {
    if (d.getSeverity() != DiagnosticSeverity::Error)
      return failure(); // for the handlers registered before
    errors_.push_back(located(d));
    return success();
  });
}

std::string he::frontend::DiagnosticCollector::text() const {
  return llvm::join(errors_, "; ");
}

std::string
he::frontend::DiagnosticCollector::message(llvm::StringRef what) const {
  if (errors_.empty())
    return what.str();
  return (what + ": " + text()).str();
}

llvm::Error
he::frontend::DiagnosticCollector::error(llvm::StringRef what) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message(what));
}
