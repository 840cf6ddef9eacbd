// The one translation from MLIR diagnostics to an error at the boundary
// where the driver and the runtime report exceptions and llvm::Error, not
// diagnostics: a scoped handler that keeps the errors emitted while it
// lives, each as "FILE:LINE:COL: message", and makes one message of them.
#ifndef HE_FRONTEND_DIAGNOSTICCOLLECTOR_H
#define HE_FRONTEND_DIAGNOSTICCOLLECTOR_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace he::frontend {
/// Collects the errors emitted in `context` while it lives (without their
/// notes: the pass manager's "see current operation" would print the whole
/// op); warnings and remarks go on to the handlers registered before it.
class DiagnosticCollector : public mlir::ScopedDiagnosticHandler {
public:
  explicit DiagnosticCollector(mlir::MLIRContext *context);

  /// The errors so far, each "FILE:LINE:COL: message" (or "NAME: message"
  /// for a named location, "message" for an unknown one), in order.
  const std::vector<std::string> &errors() const { return errors_; }

  /// The errors so far joined with "; " ("" when none).
  std::string text() const;

  /// "what: error; error", or `what` when nothing was collected.
  std::string message(llvm::StringRef what) const;

  /// message(what) as an llvm::Error.
  llvm::Error error(llvm::StringRef what) const;

private:
  std::vector<std::string> errors_;
};

/// Where `loc` points as "FILE:LINE:COL" (the first file location in it),
/// a NameLoc's name, or "" for an unknown location.
std::string locationText(mlir::Location loc);
} // namespace he::frontend

#endif
