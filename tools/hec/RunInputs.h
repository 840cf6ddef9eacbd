// The network files a run learns from: its seed's finished baseline (the
// distillation teacher, the starting weights of training.init = "baseline")
// or the experiment's teacher file. Each is read through the network loader
// (checked against the experiment, weights required) and pinned in the
// run's checkpoint by its checksum, so a resumed run insists on the very
// same bytes.
#ifndef HEC_TOOLS_RUNINPUTS_H
#define HEC_TOOLS_RUNINPUTS_H

#include "lib/Frontend/Experiment.h"
#include "runtime/Checkpoint.h"
#include "runtime/HeModule.h"
#include "runtime/Trainer.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>

namespace hec {
class RunInputs {
public:
  /// `outDir`: the run folder, named when a baseline is missing;
  /// `oneRun`: hec --run (the baseline then comes from an earlier job).
  RunInputs(const he::frontend::Experiment &exp, mlir::MLIRContext &context,
            std::string outDir, bool oneRun)
      : exp_(exp), context_(context), outDir_(std::move(outDir)),
        oneRun_(oneRun) {}

  /// The finished baseline of the seed now running (empty: none yet).
  void setBaseline(std::string model) { baseline_ = std::move(model); }

  /// The network a run trains when it does not start from the experiment's:
  /// with training.init = "baseline" (every method but the baseline), the
  /// seed's finished baseline, weights included; nullptr otherwise.
  mlir::OwningOpRef<mlir::ModuleOp>
  startingNetwork(he::frontend::Method method, int64_t seed,
                  he::runtime::TrainOptions &o,
                  const he::runtime::Checkpoint *resume);
  /// Where startingNetwork read from (empty: the experiment's network).
  const std::string &startingPath() const { return startingPath_; }

  /// The teacher of a run of a distilling `method`: the seed's finished
  /// baseline, or the experiment's teacher file; nullptr for a method that
  /// does not distil. Read from disk also in an uninterrupted sweep, so that
  /// a resumed run learns from the very same numbers.
  he::runtime::HeModule *teacher(he::frontend::Method method, int64_t seed,
                                 he::runtime::TrainOptions &o,
                                 const he::runtime::Checkpoint *resume);

  /// A network file (NetworkLoader.h) checked against the experiment as
  /// `role`, weights required; throws RunFailure with the loader's errors.
  mlir::OwningOpRef<mlir::ModuleOp> read(const std::string &path,
                                         const std::string &role);

private:
  std::string baselineOf(int64_t seed, const std::string &purpose) const;
  void pin(const std::string &role, const std::string &path,
           he::runtime::TrainOptions &o, const he::runtime::Checkpoint *resume);

  const he::frontend::Experiment &exp_;
  mlir::MLIRContext &context_;
  std::string outDir_;
  bool oneRun_;
  std::string baseline_;     // of the current seed, once it finished
  std::string startingPath_; // of the last startingNetwork
  std::string teacherPath_;  // what teacher_ was read from
  std::shared_ptr<he::runtime::HeModule> teacher_;
};
} // namespace hec

#endif
