#include "tools/hec/RunInputs.h"

#include "lib/Frontend/Methods.h"
#include "lib/Frontend/NetworkLoader.h"
#include "tools/hec/EmitModel.h"
#include "tools/hec/RunFailure.h"
#include "tools/hec/RunState.h"

#include "lib/Frontend/DiagnosticCollector.h"

using namespace he;
using namespace hec;

mlir::OwningOpRef<mlir::ModuleOp>
RunInputs::startingNetwork(frontend::Method method, int64_t seed,
                           runtime::TrainOptions &o,
                           const runtime::Checkpoint *resume) {
  startingPath_.clear();
  if (!frontend::startsFromBaseline(exp_, method))
    return nullptr;
  std::string path = baselineOf(seed, "starting from the baseline");
  pin("init", path, o, resume);
  startingPath_ = path;
  return read(path, "the starting network");
}

runtime::HeModule *RunInputs::teacher(frontend::Method method, int64_t seed,
                                      runtime::TrainOptions &o,
                                      const runtime::Checkpoint *resume) {
  if (!frontend::specOf(method).distillation)
    return nullptr;
  std::string path = frontend::distilsFromBaseline(exp_, method)
                         ? baselineOf(seed, "distillation")
                         : exp_.distillation.teacher;
  pin("teacher", path, o, resume);
  if (path != teacherPath_) {
    mlir::OwningOpRef<mlir::ModuleOp> module = read(path, "the teacher");
    teacher_ = std::make_shared<runtime::HeModule>(forwardOf(*module));
    teacherPath_ = path;
  }
  return teacher_.get();
}

std::string RunInputs::baselineOf(int64_t seed,
                                  const std::string &purpose) const {
  if (baseline_.empty())
    throw RunFailure(
        purpose + " needs the baseline of seed " + std::to_string(seed) +
        (oneRun_ ? ", which has not finished in " + outDir_ +
                       " (run baseline:" + std::to_string(seed) + " first)"
                 : ", which did not train"));
  return baseline_;
}

void RunInputs::pin(const std::string &role, const std::string &path,
                    runtime::TrainOptions &o,
                    const runtime::Checkpoint *resume) {
  llvm::Expected<uint32_t> crc = fileChecksum(path);
  if (!crc)
    throw RunFailure("the " + role +
                     " file: " + llvm::toString(crc.takeError()));
  std::string checksum = std::to_string(*crc);
  o.checkpointInfo[role] = path;
  o.checkpointInfo[role + "_crc"] = checksum;
  if (resume && (!resume->has("info." + role + "_crc") ||
                 resume->getString("info." + role + "_crc") != checksum))
    throw RunFailure(resume->source() + ": trained with another " + role +
                     " file than " + path +
                     " (it changed since); run without --resume to start "
                     "over");
}

mlir::OwningOpRef<mlir::ModuleOp> RunInputs::read(const std::string &path,
                                                  const std::string &role) {
  frontend::DiagnosticCollector diagnostics(&context_);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      frontend::loadNetwork(path, frontend::experimentUse(exp_, role, true),
                            context_, mlir::UnknownLoc::get(&context_));
  if (!module)
    throw RunFailure(diagnostics.message("cannot read " + role + " " + path));
  return module;
}
