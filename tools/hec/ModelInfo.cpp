#include "tools/hec/ModelInfo.h"
#include "tools/hec/Results.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"

std::vector<std::string> hec::classNamesOf(const he::runtime::Dataset &data) {
  if (!data.classNames.empty())
    return data.classNames;
  std::vector<std::string> names;
  for (int64_t c = 0; c < data.numClasses; ++c)
    names.push_back(std::to_string(c));
  return names;
}

void hec::annotateModel(mlir::ModuleOp module,
                        const he::runtime::Dataset &data) {
  mlir::Builder b(module.getContext());
  std::vector<llvm::StringRef> names;
  std::vector<std::string> owned = classNamesOf(data);
  for (const std::string &name : owned)
    names.push_back(name);
  module->setAttr("he.class_names", b.getStrArrayAttr(names));
  int64_t channels = data.batchChannels();
  auto perChannel = [&](const std::vector<double> &v, double none) {
    llvm::SmallVector<mlir::Attribute> values;
    for (int64_t c = 0; c < channels; ++c)
      values.push_back(b.getF64FloatAttr(v.empty()       ? none
                                         : v.size() == 1 ? v[0]
                                                         : v[size_t(c)]));
    return b.getArrayAttr(values);
  };
  module->setAttr("he.input_mean", perChannel(data.mean, 0.0));
  module->setAttr("he.input_std", perChannel(data.std, 1.0));
}

llvm::Error hec::writeSkippedImages(const std::string &folder,
                                    const std::vector<std::string> &skipped) {
  std::string path = folder + "/skipped_images.txt";
  if (skipped.empty()) {
    llvm::sys::fs::remove(path);
    return llvm::Error::success();
  }
  std::string text;
  for (const std::string &line : skipped)
    text += line + "\n";
  return writeFileAtomically(path, text);
}
