// What an emitted model carries about its data, so that predictions can be
// named and inputs prepared by whoever runs it (an exporter, an HE runtime):
// module attributes he.class_names (strings in label order), he.input_mean
// and he.input_std (f64 per channel: inputs are (x / 255 - mean) / std).
// Also the run folder's list of images left out of the data.
#ifndef HEC_TOOLS_MODELINFO_H
#define HEC_TOOLS_MODELINFO_H

#include "runtime/Data.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hec {
/// The data set's class names, or "0" ... "C-1" when it has none.
std::vector<std::string> classNamesOf(const he::runtime::Dataset &data);

/// Sets he.class_names, he.input_mean and he.input_std on `module`.
void annotateModel(mlir::ModuleOp module, const he::runtime::Dataset &data);

/// Writes <folder>/skipped_images.txt (one "<file>: <why>" a line) when
/// images were left out, and removes an old one when none were.
llvm::Error writeSkippedImages(const std::string &folder,
                               const std::vector<std::string> &skipped);
} // namespace hec

#endif
